package dev.mnistlab.tracking.internal.store;

/**
 * What a sink acknowledged for a run: history lines {@code [0, historyAcked)}, system-metrics lines
 * {@code [0, eventsAcked)}, console lines {@code [0, consoleAcked)}, summary version, config
 * version, and whether the finish was acknowledged; plus the remote identity of the run.
 *
 * <p>{@code historyBase} is the remote line index of the run's local line 0: 0 for a run this
 * store created on W&amp;B, the server's {@code historyLineCount} when the run continues (resumes)
 * a remote run that already had history, so the remote history is appended to, never overwritten.
 * {@code eventsBase} and {@code consoleBase} do the same for {@code wandb-events.jsonl} and
 * {@code output.log} ({@code eventsLineCount}, {@code logLineCount}).
 */
public record SinkCursor(
    String runId,
    String sink,
    long historyAcked,
    long summaryAcked,
    long configAcked,
    boolean finishAcked,
    String storageId,
    String entity,
    String project,
    String remoteName,
    String url,
    String lastError,
    long historyBase,
    long eventsAcked,
    long consoleAcked,
    long eventsBase,
    long consoleBase) {

  /** The cursor of a run the sink has never seen. */
  public static SinkCursor initial(String runId, String sink) {
    return new SinkCursor(runId, sink, 0, 0, 0, false, null, null, null, null, null, null, 0, 0, 0,
        0, 0);
  }

  /** This cursor with the history acknowledged up to (exclusive) {@code lines}. */
  public SinkCursor withHistoryAcked(long lines) {
    return new SinkCursor(runId, sink, lines, summaryAcked, configAcked, finishAcked, storageId,
        entity, project, remoteName, url, lastError, historyBase, eventsAcked, consoleAcked,
        eventsBase, consoleBase);
  }

  /** This cursor with system-metrics lines acknowledged up to (exclusive) {@code lines}. */
  public SinkCursor withEventsAcked(long lines) {
    return new SinkCursor(runId, sink, historyAcked, summaryAcked, configAcked, finishAcked,
        storageId, entity, project, remoteName, url, lastError, historyBase, lines, consoleAcked,
        eventsBase, consoleBase);
  }

  /** This cursor with console lines acknowledged up to (exclusive) {@code lines}. */
  public SinkCursor withConsoleAcked(long lines) {
    return new SinkCursor(runId, sink, historyAcked, summaryAcked, configAcked, finishAcked,
        storageId, entity, project, remoteName, url, lastError, historyBase, eventsAcked, lines,
        eventsBase, consoleBase);
  }

  /** This cursor with a new summary version acknowledged. */
  public SinkCursor withSummaryAcked(long version) {
    return new SinkCursor(runId, sink, historyAcked, version, configAcked, finishAcked, storageId,
        entity, project, remoteName, url, lastError, historyBase, eventsAcked, consoleAcked,
        eventsBase, consoleBase);
  }

  /** This cursor with the finish acknowledged. */
  public SinkCursor withFinishAcked() {
    return new SinkCursor(runId, sink, historyAcked, summaryAcked, configAcked, true, storageId,
        entity, project, remoteName, url, lastError, historyBase, eventsAcked, consoleAcked,
        eventsBase, consoleBase);
  }

  /** This cursor after a successful upsert. */
  public SinkCursor withUpsert(long configVersion, String storageId, String entity, String project,
      String remoteName, String url) {
    return new SinkCursor(runId, sink, historyAcked, summaryAcked, configVersion, finishAcked,
        storageId, entity, project, remoteName, url, lastError, historyBase, eventsAcked,
        consoleAcked, eventsBase, consoleBase);
  }

  /** This cursor with a new last error ({@code null} clears it). */
  public SinkCursor withLastError(String error) {
    return new SinkCursor(runId, sink, historyAcked, summaryAcked, configAcked, finishAcked,
        storageId, entity, project, remoteName, url, error, historyBase, eventsAcked, consoleAcked,
        eventsBase, consoleBase);
  }

  /**
   * This cursor continuing a remote run whose history, system-metrics and console files have
   * {@code historyLines}, {@code eventsLines} and {@code consoleLines} lines.
   */
  public SinkCursor withRemoteBases(long historyLines, long eventsLines, long consoleLines) {
    return new SinkCursor(runId, sink, historyAcked, summaryAcked, configAcked, finishAcked,
        storageId, entity, project, remoteName, url, lastError, historyLines, eventsAcked,
        consoleAcked, eventsLines, consoleLines);
  }
}
