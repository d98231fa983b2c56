package dev.mnistlab.tracking.internal.store;

import dev.mnistlab.tracking.RunState;
import java.util.List;

/** Every column of a {@code runs} row, for the engine and the uploaders. */
public record StoredRun(
    String id,
    String project,
    String name,
    String group,
    String jobType,
    List<String> tags,
    String notes,
    RunState state,
    Integer exitCode,
    String error,
    long startTimeMillis,
    Long endTimeMillis,
    long heartbeatMillis,
    String host,
    Long pid,
    long historyLines,
    Long lastStep,
    long summaryVersion,
    long configVersion,
    String metricDefinitionsJson) {}
