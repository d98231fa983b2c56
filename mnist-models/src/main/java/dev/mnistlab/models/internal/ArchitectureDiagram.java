package dev.mnistlab.models.internal;

import java.util.List;
import java.util.Locale;

/**
 * Draws a network as an SVG picture: one box per layer, top to bottom, coloured by kind, with output
 * shape and parameter count, arrows between boxes, input and total at the ends. Plain SVG 1.1, no
 * scripts or external fonts, so any browser or image viewer shows it.
 */
public final class ArchitectureDiagram {

  private static final int WIDTH = 460;
  private static final int BOX_HEIGHT = 40;
  private static final int GAP = 18;
  private static final int TOP = 76;

  private ArchitectureDiagram() {}

  /** The SVG document for a model called {@code name} with the given summary rows. */
  public static String svg(String name, String description, List<LayerRow> rows) {
    int height = TOP + (rows.size() + 1) * (BOX_HEIGHT + GAP) + 50;
    StringBuilder s = new StringBuilder();
    s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"DejaVu Sans, Arial, sans-serif\">%n",
            WIDTH,
            height,
            WIDTH,
            height));
    s.append("<defs><marker id=\"arrow\" markerWidth=\"8\" markerHeight=\"8\" refX=\"4\" refY=\"4\""
        + " orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#555\"/></marker></defs>\n");
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(s, WIDTH / 2, 26, 18, "bold", name);
    int cut = description.length() <= 68 ? -1 : description.lastIndexOf(' ', 68);
    if (cut < 0) {
      text(s, WIDTH / 2, 48, 11, "normal", description);
    } else {
      text(s, WIDTH / 2, 46, 11, "normal", description.substring(0, cut));
      text(s, WIDTH / 2, 60, 11, "normal", description.substring(cut + 1));
    }
    int y = TOP;
    box(s, y, "#eeeeee", "Input", "1x28x28", "");
    long total = 0;
    for (LayerRow row : rows) {
      arrow(s, y + BOX_HEIGHT, y + BOX_HEIGHT + GAP);
      y += BOX_HEIGHT + GAP;
      box(
          s,
          y,
          colour(row.type()),
          row.type(),
          row.outputShape(),
          row.parameters() == 0 ? "" : String.format(Locale.ROOT, "%,d params", row.parameters()));
      total += row.parameters();
    }
    text(s, WIDTH / 2, y + BOX_HEIGHT + 30, 12, "bold",
        String.format(Locale.ROOT, "total %,d parameters", total));
    s.append("</svg>\n");
    return s.toString();
  }

  private static String colour(String type) {
    if (type.startsWith("Conv")) {
      return "#cfe2ff";
    }
    if (type.contains("Pool")) {
      return "#ffe5b4";
    }
    if (type.startsWith("BatchNorm")) {
      return "#e2d9f3";
    }
    if (type.startsWith("Activation")) {
      return "#f8f9fa";
    }
    if (type.startsWith("Output")) {
      return "#f8d7da";
    }
    return "#d1e7dd";
  }

  private static void box(StringBuilder s, int y, String fill, String label, String shape, String params) {
    s.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"30\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\" fill=\"%s\" stroke=\"#444\"/>%n",
            y,
            WIDTH - 60,
            BOX_HEIGHT,
            fill));
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"44\" y=\"%d\" font-size=\"13\">%s</text>%n",
            y + 25,
            escape(label)));
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\" fill=\"#333\">%s</text>%n",
            WIDTH - 44,
            y + 17,
            escape(shape)));
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\" fill=\"#666\">%s</text>%n",
            WIDTH - 44,
            y + 32,
            escape(params)));
  }

  private static void arrow(StringBuilder s, int y1, int y2) {
    s.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>%n",
            WIDTH / 2,
            y1,
            WIDTH / 2,
            y2 - 4));
  }

  private static void text(StringBuilder s, int x, int y, int size, String weight, String text) {
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"%s\" text-anchor=\"middle\">%s</text>%n",
            x,
            y,
            size,
            weight,
            escape(text)));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
