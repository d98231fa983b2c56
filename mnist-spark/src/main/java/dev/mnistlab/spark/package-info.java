/**
 * mnistlab on Apache Spark: a sweep's trials as Spark tasks ({@link
 * dev.mnistlab.spark.SparkTrialSchedulerProvider}, found by mnist-experiments through its scheduler
 * service) and Deeplearning4j's data-parallel training of one model. Spark is {@code provided}: the
 * cluster, {@code spark-submit} or the {@code mnistlab} launcher puts it on the class path.
 */
package dev.mnistlab.spark;
