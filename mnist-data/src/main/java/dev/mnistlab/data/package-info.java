/**
 * MNIST-family data for Java and Deeplearning4j: IDX files ({@link dev.mnistlab.data.IdxFiles}),
 * the known datasets and how they are found ({@link dev.mnistlab.data.KnownDataset},
 * {@link dev.mnistlab.data.DatasetResolver}), the in-memory dataset
 * ({@link dev.mnistlab.data.MnistDataset}, {@link dev.mnistlab.data.LabeledImages}), stratified
 * train/validation splits, DL4J iterators and exploratory pictures.
 *
 * <p>This package knows nothing of models or experiment tracking; it is usable on its own.
 */
package dev.mnistlab.data;
