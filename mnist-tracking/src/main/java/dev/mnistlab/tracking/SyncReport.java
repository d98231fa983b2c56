package dev.mnistlab.tracking;

import java.util.List;

/**
 * The outcome of {@link Syncer#syncAll}: one {@link UploadStatus} per run that had something to
 * upload, the runs skipped because their process is still running, and how many were already
 * fully uploaded. Immutable.
 *
 * @param results runs the syncer worked on, in start order
 * @param skippedLive ids of runs still being recorded by a live process
 * @param alreadyUploaded number of runs W&amp;B had fully acknowledged before this sync
 */
public record SyncReport(List<UploadStatus> results, List<String> skippedLive, int alreadyUploaded) {
  /** Copies the lists. */
  public SyncReport {
    results = List.copyOf(results);
    skippedLive = List.copyOf(skippedLive);
  }

  /** True when every run the syncer worked on is now fully uploaded. */
  public boolean allComplete() {
    return results.stream().allMatch(UploadStatus::complete);
  }

  /** Lines for people, one per run, then a total. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (UploadStatus s : results) {
      sb.append(s.describe()).append('\n');
    }
    for (String id : skippedLive) {
      sb.append("run ").append(id).append(": still running in another process; skipped\n");
    }
    long done = results.stream().filter(UploadStatus::complete).count();
    sb.append(done).append(" of ").append(results.size()).append(" run(s) uploaded");
    if (alreadyUploaded > 0) {
      sb.append(", ").append(alreadyUploaded).append(" already on W&B");
    }
    return sb.toString();
  }
}
