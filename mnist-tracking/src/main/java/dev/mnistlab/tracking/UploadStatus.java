package dev.mnistlab.tracking;

import java.util.Optional;

/**
 * What a sink (W&amp;B) has acknowledged for one run when a run was closed or synced: whether
 * everything is uploaded, and if not, what remains for {@code mnistlab sync}. Immutable.
 */
public final class UploadStatus {
  private final String runId;
  private final boolean enabled;
  private final long pendingHistoryLines;
  private final boolean summaryPending;
  private final boolean configPending;
  private final boolean finishPending;
  private final String url;
  private final String lastError;
  private final long pendingSystemLines;
  private final long pendingConsoleLines;

  /** Creates a status; used by the tracker and the syncer. */
  public UploadStatus(String runId, boolean enabled, long pendingHistoryLines,
      boolean summaryPending, boolean configPending, boolean finishPending, String url,
      String lastError) {
    this(runId, enabled, pendingHistoryLines, 0, 0, summaryPending, configPending, finishPending,
        url, lastError);
  }

  /** Creates a status that also counts system-metrics and console lines not acknowledged. */
  public UploadStatus(String runId, boolean enabled, long pendingHistoryLines,
      long pendingSystemLines, long pendingConsoleLines, boolean summaryPending,
      boolean configPending, boolean finishPending, String url, String lastError) {
    this.pendingSystemLines = pendingSystemLines;
    this.pendingConsoleLines = pendingConsoleLines;
    this.runId = runId;
    this.enabled = enabled;
    this.pendingHistoryLines = pendingHistoryLines;
    this.summaryPending = summaryPending;
    this.configPending = configPending;
    this.finishPending = finishPending;
    this.url = url;
    this.lastError = lastError;
  }

  /** Status of a run that has no remote sink: everything it has is in the local store. */
  public static UploadStatus localOnly(String runId) {
    return new UploadStatus(runId, false, 0, false, false, false, null, null);
  }

  /** The run. */
  public String runId() {
    return runId;
  }

  /** True when a remote sink (W&amp;B) was configured for this run. */
  public boolean remoteEnabled() {
    return enabled;
  }

  /** True when nothing remains to upload. */
  public boolean complete() {
    return pendingHistoryLines == 0 && pendingSystemLines == 0 && pendingConsoleLines == 0
        && !summaryPending && !configPending && !finishPending;
  }

  /** System-metrics lines ({@code wandb-events.jsonl}) the sink has not acknowledged. */
  public long pendingSystemLines() {
    return pendingSystemLines;
  }

  /** Console lines ({@code output.log}) the sink has not acknowledged. */
  public long pendingConsoleLines() {
    return pendingConsoleLines;
  }

  /** History lines the sink has not acknowledged. */
  public long pendingHistoryLines() {
    return pendingHistoryLines;
  }

  /** True when the latest summary is not acknowledged. */
  public boolean summaryPending() {
    return summaryPending;
  }

  /** True when the run's creation or its latest config is not acknowledged. */
  public boolean configPending() {
    return configPending;
  }

  /** True when the finish ({@code complete} + {@code exitcode}) is not acknowledged. */
  public boolean finishPending() {
    return finishPending;
  }

  /** The W&amp;B run page, once known. */
  public Optional<String> url() {
    return Optional.ofNullable(url);
  }

  /** The last upload error, if any. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** One line for people: done, or what remains and how to upload it. */
  public String describe() {
    if (!enabled) {
      return "run " + runId + " recorded in the local store";
    }
    if (complete() && lastError != null) {
      // the run is finished on W&B, but a file or artifact gave up after its retries
      return "run " + runId + " uploaded" + (url == null ? "" : ": " + url) + "; " + lastError
          + " (kept in the local store; run `mnistlab sync` to retry)";
    }
    if (complete()) {
      return "run " + runId + " fully uploaded" + (url == null ? "" : ": " + url);
    }
    StringBuilder sb = new StringBuilder("run ").append(runId).append(": not yet on W&B: ");
    String sep = "";
    if (configPending) {
      sb.append("run creation/config");
      sep = ", ";
    }
    if (pendingHistoryLines > 0) {
      sb.append(sep).append(pendingHistoryLines).append(" history line")
          .append(pendingHistoryLines == 1 ? "" : "s");
      sep = ", ";
    }
    if (pendingSystemLines > 0) {
      sb.append(sep).append(pendingSystemLines).append(" system-metrics line")
          .append(pendingSystemLines == 1 ? "" : "s");
      sep = ", ";
    }
    if (pendingConsoleLines > 0) {
      sb.append(sep).append(pendingConsoleLines).append(" console line")
          .append(pendingConsoleLines == 1 ? "" : "s");
      sep = ", ";
    }
    if (summaryPending) {
      sb.append(sep).append("summary");
      sep = ", ";
    }
    if (finishPending) {
      sb.append(sep).append("finish");
    }
    sb.append(" (kept in the local store; run `mnistlab sync` to upload)");
    if (lastError != null) {
      sb.append("; last error: ").append(lastError);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return describe();
  }
}
