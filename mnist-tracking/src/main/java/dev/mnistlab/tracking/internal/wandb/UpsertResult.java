package dev.mnistlab.tracking.internal.wandb;

/**
 * What {@code UpsertBucket} returned: the storage id, the canonical run id, entity and project, and
 * how many history lines the server already holds.
 */
public record UpsertResult(String storageId, String runName, String displayName, String entity,
    String project, long historyLineCount, boolean inserted) {}
