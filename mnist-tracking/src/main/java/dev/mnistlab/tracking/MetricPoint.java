package dev.mnistlab.tracking;

/**
 * One point of a metric series: the step and the value (NaN when the logged value was not finite).
 *
 * @param step the step at which the value was logged
 * @param value the value
 */
public record MetricPoint(long step, double value) {}
