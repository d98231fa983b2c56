package dev.mnistlab.tracking.internal.store;

/**
 * One console line of a run as stored: which stream it went to, when (microseconds since the
 * epoch, W&amp;B's console timestamps have microseconds) and its text (no line break).
 */
public record ConsoleLine(boolean stderr, long timeMicros, String text) {}
