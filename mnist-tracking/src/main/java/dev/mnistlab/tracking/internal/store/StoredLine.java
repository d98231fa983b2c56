package dev.mnistlab.tracking.internal.store;

/** One stored history line: its index, step and exact JSON text as sent to W&amp;B. */
public record StoredLine(long lineNo, long step, String line) {}
