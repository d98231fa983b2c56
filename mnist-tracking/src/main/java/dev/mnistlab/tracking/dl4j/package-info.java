/**
 * Deeplearning4j integration: a {@link dev.mnistlab.tracking.dl4j.TrackingListener} that logs
 * per-epoch loss, accuracy, validation metrics, learning rate and throughput of any DL4J network
 * into a {@link dev.mnistlab.tracking.Run}.
 */
package dev.mnistlab.tracking.dl4j;
