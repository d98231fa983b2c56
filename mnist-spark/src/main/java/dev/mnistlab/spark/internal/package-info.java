/**
 * How mnist-spark runs a sweep's trials as Spark tasks: the scheduler on the driver, the task on
 * the executors, the data shipped once per executor, and the control channel through which an
 * executor's trial reports its run and epochs to the driver's sweep (hyperband, Ctrl-C, lost
 * attempts) and gets its secrets without them passing through Spark's configuration.
 */
package dev.mnistlab.spark.internal;
