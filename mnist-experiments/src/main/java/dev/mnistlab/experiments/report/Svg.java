package dev.mnistlab.experiments.report;

import java.util.List;
import java.util.Locale;

/** Small inline-SVG charts for the report: line charts, scatter plots, bar charts. */
final class Svg {
  static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  private static final int W = 560;
  private static final int H = 300;
  private static final int LEFT = 56;
  private static final int RIGHT = 16;
  private static final int TOP = 28;
  private static final int BOTTOM = 40;

  private Svg() {}

  /** One named series of (x, y) points. */
  record Series(String name, List<double[]> points, String color) {}

  static String color(int i) {
    return PALETTE[Math.floorMod(i, PALETTE.length)];
  }

  /** A line chart; x values are drawn as given (epochs), lines join each series' points. */
  static String lineChart(String id, String title, String xLabel, String yLabel,
      List<Series> series) {
    return chart(id, title, xLabel, yLabel, series, true, false);
  }

  /** A scatter plot; {@code logX} uses a base-2 logarithmic x axis (batch sizes). */
  static String scatter(String id, String title, String xLabel, String yLabel, List<Series> series,
      boolean logX) {
    return chart(id, title, xLabel, yLabel, series, false, logX);
  }

  private static String chart(String id, String title, String xLabel, String yLabel,
      List<Series> series, boolean lines, boolean logX) {
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double[] p : s.points()) {
        if (!Double.isFinite(p[1])) {
          continue;
        }
        double x = logX ? log2(p[0]) : p[0];
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, p[1]);
        maxY = Math.max(maxY, p[1]);
      }
    }
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg id=\"%s\" class=\"chart\" viewBox=\"0 0 %d %d\""
        + " role=\"img\" aria-label=\"%s\">", id, W, H, Html.escape(title)));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"18\" class=\"title\">%s</text>", LEFT, Html.escape(title)));
    if (minX == Double.POSITIVE_INFINITY) {
      svg.append("<text x=\"200\" y=\"150\" class=\"empty\">no data</text></svg>");
      return svg.toString();
    }
    if (maxX == minX) {
      minX -= 1;
      maxX += 1;
    }
    double padY = (maxY - minY) * 0.08;
    if (padY == 0) {
      padY = Math.abs(maxY) * 0.05 + 1e-3;
    }
    minY -= padY;
    maxY += padY;
    final double x0 = minX;
    final double x1 = maxX;
    final double y0 = minY;
    final double y1 = maxY;
    java.util.function.DoubleUnaryOperator sx = x -> LEFT + (x - x0) / (x1 - x0) * (W - LEFT - RIGHT);
    java.util.function.DoubleUnaryOperator sy = y -> H - BOTTOM - (y - y0) / (y1 - y0) * (H - TOP - BOTTOM);
    // axes and ticks
    svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
        LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM));
    svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
        LEFT, TOP, LEFT, H - BOTTOM));
    for (int i = 0; i <= 4; i++) {
      double y = y0 + (y1 - y0) * i / 4;
      double py = sy.applyAsDouble(y);
      svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
          + "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
          LEFT, py, W - RIGHT, py, LEFT - 4, py + 4, tick(y)));
    }
    for (double x : xTicks(x0, x1, logX)) {
      double px = sx.applyAsDouble(x);
      svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\""
          + " text-anchor=\"middle\">%s</text>", px, H - BOTTOM + 14,
          logX ? tick(Math.pow(2, x)) : tick(x)));
    }
    svg.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\""
        + " text-anchor=\"middle\">%s</text>", (LEFT + W - RIGHT) / 2, H - 6, Html.escape(xLabel)));
    svg.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"12\" y=\"%d\""
        + " transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s</text>",
        (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2, Html.escape(yLabel)));
    for (Series s : series) {
      StringBuilder path = new StringBuilder();
      svg.append("<g class=\"series\" data-name=\"").append(Html.escape(s.name())).append("\">")
          .append("<title>").append(Html.escape(s.name())).append("</title>");
      for (double[] p : s.points()) {
        if (!Double.isFinite(p[1])) {
          continue;
        }
        double px = sx.applyAsDouble(logX ? log2(p[0]) : p[0]);
        double py = sy.applyAsDouble(p[1]);
        path.append(path.length() == 0 ? "M" : "L")
            .append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\">"
            + "<title>%s: %s</title></circle>", px, py, lines ? "2.5" : "4.5", s.color(),
            Html.escape(s.name()), tick(p[1])));
      }
      if (lines && path.length() > 0) {
        svg.append("<path d=\"").append(path.toString().trim()).append("\" stroke=\"")
            .append(s.color()).append("\" fill=\"none\" stroke-width=\"1.8\"/>");
      }
      svg.append("</g>");
    }
    svg.append("</svg>");
    return svg.toString();
  }

  /** A vertical bar chart with one bar per label. */
  static String bars(String id, String title, List<String> labels, int[] values, String color) {
    int n = Math.max(1, labels.size());
    int max = 1;
    for (int v : values) {
      max = Math.max(max, v);
    }
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
        "<svg id=\"%s\" class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">"
            + "<text x=\"%d\" y=\"18\" class=\"title\">%s</text>",
        id, W, H, Html.escape(title), LEFT, Html.escape(title)));
    double slot = (double) (W - LEFT - RIGHT) / n;
    for (int i = 0; i < labels.size(); i++) {
      double h = (double) values[i] / max * (H - TOP - BOTTOM);
      double x = LEFT + i * slot + slot * 0.15;
      svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
          + " height=\"%.1f\" fill=\"%s\"><title>%s: %d</title></rect>", x, H - BOTTOM - h,
          slot * 0.7, h, color, Html.escape(labels.get(i)), values[i]));
      svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\""
          + " text-anchor=\"middle\">%s</text>", x + slot * 0.35, H - BOTTOM + 14,
          Html.escape(labels.get(i).length() > 8 ? labels.get(i).substring(0, 7) + "." : labels.get(i))));
      svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\""
          + " text-anchor=\"middle\">%d</text>", x + slot * 0.35, H - BOTTOM - h - 3, values[i]));
    }
    svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\""
        + " y2=\"%d\"/></svg>", LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM));
    return svg.toString();
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static List<Double> xTicks(double min, double max, boolean log) {
    List<Double> ticks = new java.util.ArrayList<>();
    if (log) {
      for (double x = Math.ceil(min); x <= max + 1e-9; x++) {
        ticks.add(x);
      }
      return ticks;
    }
    double span = max - min;
    double step = span <= 12 ? 1 : Math.pow(10, Math.floor(Math.log10(span / 5)));
    if (span / step > 12) {
      step *= 5;
    }
    for (double x = Math.ceil(min / step) * step; x <= max + 1e-9; x += step) {
      ticks.add(x);
    }
    return ticks;
  }

  static String tick(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e6) {
      return Long.toString((long) v);
    }
    double a = Math.abs(v);
    return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 1 ? "%.2f" : a >= 0.01 ? "%.4f" : "%.2e", v);
  }
}
