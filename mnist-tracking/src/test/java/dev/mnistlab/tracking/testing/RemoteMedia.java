package dev.mnistlab.tracking.testing;

import dev.mnistlab.tracking.internal.Hashes;
import dev.mnistlab.tracking.internal.Json;
import dev.mnistlab.tracking.testing.WandbStandIn.RemoteRun;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a stand-in run's history says about media, checked against the files it received: every
 * {@code image-file} and {@code table-file} reference (in a row, an image list or a table cell)
 * must name an uploaded file whose SHA-256 and size are the ones referenced, reported in
 * file_stream's {@code uploaded}.
 */
public final class RemoteMedia {
  private RemoteMedia() {}

  /** The media values of the run's history rows, by key (the last row with the key wins). */
  public static Map<String, Map<String, Object>> values(RemoteRun run) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (String line : List.copyOf(run.history)) {
      Json.readMap(line).forEach((k, v) -> {
        if (v instanceof Map<?, ?> m && m.get("_type") instanceof String) {
          @SuppressWarnings("unchecked")
          Map<String, Object> ref = (Map<String, Object>) m;
          out.put(k, ref);
        }
      });
    }
    return out;
  }

  /** The parsed content of an uploaded table file. */
  public static Map<String, Object> table(RemoteRun run, Map<String, Object> ref) {
    byte[] bytes = run.files.get((String) ref.get("path"));
    if (bytes == null) {
      throw new AssertionError("table " + ref.get("path") + " was not uploaded");
    }
    return Json.readMap(new String(bytes, StandardCharsets.UTF_8));
  }

  /** Every problem found: references to files not uploaded, not reported, or with other bytes. */
  public static List<String> violations(RemoteRun run) {
    List<String> problems = new ArrayList<>();
    values(run).forEach((key, ref) -> check(run, key, ref, problems));
    return problems;
  }

  private static void check(RemoteRun run, String key, Map<String, Object> ref, List<String> problems) {
    Object type = ref.get("_type");
    if ("images/separated".equals(type)) {
      for (Object name : (List<?>) ref.get("filenames")) {
        checkFile(run, key, (String) name, null, null, problems);
      }
      return;
    }
    checkFile(run, key, (String) ref.get("path"), (String) ref.get("sha256"),
        ((Number) ref.get("size")).longValue(), problems);
    if ("table-file".equals(type) && run.files.containsKey((String) ref.get("path"))) {
      for (Object row : (List<?>) table(run, ref).get("data")) {
        for (Object cell : (List<?>) row) {
          if (cell instanceof Map<?, ?> m && "image-file".equals(m.get("_type"))) {
            checkFile(run, key, (String) m.get("path"), (String) m.get("sha256"),
                ((Number) m.get("size")).longValue(), problems);
          }
        }
      }
    }
  }

  private static void checkFile(RemoteRun run, String key, String path, String sha256, Long size,
      List<String> problems) {
    byte[] bytes = run.files.get(path);
    if (bytes == null) {
      problems.add(key + ": " + path + " was not uploaded");
      return;
    }
    if (!run.reportedFiles.contains(path)) {
      problems.add(key + ": " + path + " was never listed in file_stream's uploaded");
    }
    if (sha256 != null && !sha256.equals(Hashes.sha256Hex(bytes))) {
      problems.add(key + ": " + path + " has another SHA-256 than its reference says");
    }
    if (size != null && size != bytes.length) {
      problems.add(key + ": " + path + " has " + bytes.length + " bytes, its reference says " + size);
    }
  }
}
