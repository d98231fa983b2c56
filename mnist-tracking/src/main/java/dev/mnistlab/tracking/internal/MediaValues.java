package dev.mnistlab.tracking.internal;

import dev.mnistlab.tracking.ConfusionMatrix;
import dev.mnistlab.tracking.Image;
import dev.mnistlab.tracking.Table;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the media values of one logged row ({@link Image}, a list of images, {@link Table},
 * {@link ConfusionMatrix}) into what W&amp;B's client writes (PROTOCOL §11.4): run files under
 * {@code media/images/} and {@code media/table/}, named {@code <key>_<step>_<first 20 hex of
 * sha256>}, and history values referencing them ({@code image-file}, {@code images/separated},
 * {@code table-file}); a confusion matrix becomes the table {@code <key>_table} plus the
 * {@code _wandb.visualize.<key>} chart entry for the config.
 *
 * @param row the history values, media replaced by their references
 * @param files the run files to store before the row, by name
 * @param charts the {@code _wandb.visualize} entries the row's charts add, by key
 */
public record MediaValues(Map<String, Object> row, Map<String, byte[]> files,
    Map<String, Object> charts) {

  /** True if a value is one of the media types (as a top-level history value). */
  public static boolean isMedia(Object v) {
    return v instanceof Image || v instanceof Table || v instanceof ConfusionMatrix
        || (v instanceof Collection<?> c && !c.isEmpty() && c.stream().allMatch(x -> x instanceof Image));
  }

  /** Encodes the media of {@code values}, logged at {@code step}; other values pass unchanged. */
  public static MediaValues encode(Map<String, Object> values, long step) {
    Map<String, Object> row = new LinkedHashMap<>();
    Map<String, byte[]> files = new LinkedHashMap<>();
    Map<String, Object> charts = new LinkedHashMap<>();
    values.forEach((key, v) -> {
      if (v instanceof Image image) {
        row.put(key, image(key, step, image, files));
      } else if (v instanceof Table table) {
        row.put(key, table(key, step, table, files));
      } else if (v instanceof ConfusionMatrix m) {
        String tableKey = key + "_table";
        row.put(tableKey, table(tableKey, step, m.table(), files));
        charts.put(key, confusionChart(tableKey, m.title()));
      } else if (isMedia(v)) {
        row.put(key, images(key, step, (Collection<?>) v, files));
      } else {
        row.put(key, v);
      }
    });
    return new MediaValues(row, files, charts);
  }

  /** The file name part of a key: W&amp;B keys may hold {@code /} and spaces, file names do not. */
  static String fileKey(String key) {
    return key.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static Map<String, Object> image(String key, long step, Image image, Map<String, byte[]> files) {
    Map<String, Object> ref = imageFile(key, step, image, files);
    image.caption().ifPresent(c -> ref.put("caption", c));
    return ref;
  }

  private static Map<String, Object> imageFile(String key, long step, Image image,
      Map<String, byte[]> files) {
    String path = "media/images/" + fileKey(key) + "_" + step + "_" + image.sha256().substring(0, 20) + ".png";
    files.put(path, image.png());
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("_type", "image-file");
    ref.put("path", path);
    ref.put("sha256", image.sha256());
    ref.put("size", image.size());
    ref.put("format", "png");
    ref.put("width", image.width());
    ref.put("height", image.height());
    return ref;
  }

  private static Map<String, Object> images(String key, long step, Collection<?> images,
      Map<String, byte[]> files) {
    List<String> names = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    boolean captioned = false;
    int width = 0;
    int height = 0;
    for (Object o : images) {
      Image image = (Image) o;
      names.add((String) imageFile(key, step, image, files).get("path"));
      captions.add(image.caption().orElse(""));
      captioned |= image.caption().isPresent();
      width = Math.max(width, image.width());
      height = Math.max(height, image.height());
    }
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("_type", "images/separated");
    ref.put("width", width);
    ref.put("height", height);
    ref.put("format", "png");
    ref.put("count", names.size());
    ref.put("filenames", names);
    ref.put("captions", captioned ? captions : false); // W&B's seq_to_json writes false for none
    return ref;
  }

  private static Map<String, Object> table(String key, long step, Table table, Map<String, byte[]> files) {
    List<List<Object>> data = new ArrayList<>(table.rows().size());
    for (List<Object> row : table.rows()) {
      List<Object> cells = new ArrayList<>(row.size());
      for (Object cell : row) {
        cells.add(cell instanceof Image image ? image(key, step, image, files) : cell);
      }
      data.add(cells);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("columns", table.columns());
    json.put("data", data);
    byte[] bytes = Json.write(json).getBytes(StandardCharsets.UTF_8);
    String sha = Hashes.sha256Hex(bytes);
    String path = "media/table/" + fileKey(key) + "_" + step + "_" + sha.substring(0, 20) + ".table.json";
    files.put(path, bytes);
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("_type", "table-file");
    ref.put("path", path);
    ref.put("sha256", sha);
    ref.put("size", bytes.length);
    ref.put("ncols", table.columns().size());
    ref.put("nrows", table.rows().size());
    ref.put("log_mode", "IMMUTABLE");
    return ref;
  }

  /**
   * The {@code _wandb.visualize} entry of W&amp;B's confusion-matrix chart over the summary table
   * {@code tableKey} ({@code wandb/plot/custom_chart.py::CustomChartSpec.config_value}).
   */
  static Map<String, Object> confusionChart(String tableKey, String title) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (String c : ConfusionMatrix.COLUMNS) {
      fields.put(c, c);
    }
    List<Object> runSetFields = List.of(
        ordered("name", "id", "fields", List.of()),
        ordered("name", "name", "fields", List.of()),
        ordered("name", "_defaultColorIndex", "fields", List.of()),
        ordered("name", "summaryTable", "args", List.of(ordered("name", "tableKey", "value", tableKey)),
            "fields", List.of()));
    Map<String, Object> query = ordered("queryFields", List.of(ordered(
        "name", "runSets",
        "args", List.of(ordered("name", "runSets", "value", "${runSets}")),
        "fields", runSetFields)));
    Map<String, Object> panelConfig = new LinkedHashMap<>();
    panelConfig.put("panelDefId", ConfusionMatrix.PANEL);
    panelConfig.put("fieldSettings", fields);
    panelConfig.put("stringSettings", ordered("title", title));
    panelConfig.put("transform", ordered("name", "tableWithLeafColNames"));
    panelConfig.put("userQuery", query);
    Map<String, Object> chart = new LinkedHashMap<>();
    chart.put("panel_type", "Vega2");
    chart.put("panel_config", panelConfig);
    return chart;
  }

  /** A map of {@code key, value, ...} in that order (the JSON reads as W&amp;B's client writes it). */
  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
