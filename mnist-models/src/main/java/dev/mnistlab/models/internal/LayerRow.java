package dev.mnistlab.models.internal;

/**
 * One row of a model summary.
 *
 * @param index 0-based layer index
 * @param type  short layer description, e.g. {@code Conv 3x3x32 relu}
 * @param outputShape output shape without the batch dimension, e.g. {@code 32x26x26}
 * @param parameters number of trainable parameters (and batch-norm running statistics)
 * @param helper the implementation the layer runs on ({@code MKLDNNConvHelper} or {@code built-in})
 */
public record LayerRow(int index, String type, String outputShape, long parameters, String helper) {}
