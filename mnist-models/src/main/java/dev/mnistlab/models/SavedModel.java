package dev.mnistlab.models;

import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A network loaded by {@link ModelFiles#load}, ready for inference (oneDNN helpers engaged), with
 * its metadata.
 *
 * @param network the network
 * @param metadata its metadata ({@link ModelMetadata#unknown()} for plain DL4J zips)
 */
public record SavedModel(MultiLayerNetwork network, ModelMetadata metadata) {

  /** Checks for nulls. */
  public SavedModel {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(metadata, "metadata");
  }

  /** A predictor for this model, with its class names. */
  public Predictor predictor() {
    return new Predictor(network, metadata.classNames());
  }
}
