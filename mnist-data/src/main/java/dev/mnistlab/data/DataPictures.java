package dev.mnistlab.data;

import static com.google.common.base.Preconditions.checkArgument;

import dev.mnistlab.data.io.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Exploratory pictures of a dataset, as PNG files: a grid of random samples with their class
 * names, and a bar chart of how many images each class has.
 *
 * <p>Works on headless machines: unless the application decided otherwise, it sets {@code
 * java.awt.headless=true} before touching AWT. Files are written atomically.
 */
public final class DataPictures {
  /** Screen pixels per image pixel in the sample grid. */
  static final int SCALE = 3;
  /** Space around and between cells. */
  static final int PAD = 6;
  /** Height of the caption band under each image. */
  static final int CAPTION = 16;
  /** Size of the label-distribution chart. */
  static final int CHART_WIDTH = 900;
  static final int CHART_HEIGHT = 520;

  private DataPictures() {}

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /**
   * Draws {@code count} images chosen at random (without repetition, by {@code seed}) as a grid,
   * dark ink on white, each captioned with its class name, and writes it to {@code png}. The grid
   * has {@code ceil(sqrt(count))} columns, filled row by row in sample order.
   *
   * @return the indices of the sampled images, in grid order
   * @throws IllegalArgumentException if {@code count} is not 1..images.count() or the class names
   *     do not cover the classes
   */
  public static int[] sampleGrid(LabeledImages images, List<String> classNames, int count, long seed, Path png)
      throws IOException {
    int[] indices = sampleIndices(images, classNames, count, seed);
    writePng(drawGrid(images, classNames, indices), png);
    return indices;
  }

  /**
   * The picture {@link #sampleGrid(LabeledImages, List, int, long, Path)} writes, as PNG bytes (the
   * same pixels for the same arguments), e.g. for a tracked run's media.
   */
  public static byte[] sampleGridPng(LabeledImages images, List<String> classNames, int count, long seed) {
    return png(drawGrid(images, classNames, sampleIndices(images, classNames, count, seed)));
  }

  /**
   * One greyscale digit (row-major unsigned bytes), scaled up by {@code scale} with
   * nearest-neighbour pixels, dark ink on white as in the sample grid, as PNG bytes.
   */
  public static byte[] digitPng(byte[] pixels, int rows, int cols, int scale) {
    checkArgument(pixels.length == rows * cols, "%s pixels for a %sx%s image", pixels.length, rows, cols);
    checkArgument(scale >= 1, "scale must be >= 1, got %s", scale);
    BufferedImage image = new BufferedImage(cols * scale, rows * scale, BufferedImage.TYPE_BYTE_GRAY);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int v = greyOf(pixels[r * cols + c] & 0xFF);
        int rgb = (v << 16) | (v << 8) | v;
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            image.setRGB(c * scale + dx, r * scale + dy, rgb);
          }
        }
      }
    }
    return png(image);
  }

  private static int[] sampleIndices(LabeledImages images, List<String> classNames, int count, long seed) {
    checkArgument(count >= 1 && count <= images.count(), "count must be 1..%s, got %s", images.count(), count);
    checkArgument(classNames.size() >= images.numClasses(), "%s class names for %s classes", classNames.size(),
        images.numClasses());
    return sample(images.count(), count, seed);
  }

  private static byte[] png(BufferedImage image) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer in this JVM");
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("PNG encoding failed", e);
    }
    return out.toByteArray();
  }

  private static BufferedImage drawGrid(LabeledImages images, List<String> classNames, int[] indices) {
    int count = indices.length;
    int columns = gridColumns(count);
    int rows = (count + columns - 1) / columns;
    int cellW = images.cols() * SCALE;
    int cellH = images.rows() * SCALE + CAPTION;
    BufferedImage canvas = new BufferedImage(columns * (cellW + PAD) + PAD, rows * (cellH + PAD) + PAD,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      FontMetrics metrics = g.getFontMetrics();
      for (int k = 0; k < count; k++) {
        int x0 = PAD + (k % columns) * (cellW + PAD);
        int y0 = PAD + (k / columns) * (cellH + PAD);
        drawImage(canvas, images, indices[k], x0, y0);
        String caption = fitted(classNames.get(images.label(indices[k])), metrics, cellW);
        g.setColor(Color.DARK_GRAY);
        g.drawString(caption, x0 + (cellW - metrics.stringWidth(caption)) / 2,
            y0 + images.rows() * SCALE + metrics.getAscent() + 1);
      }
    } finally {
      g.dispose();
    }
    return canvas;
  }

  /** Columns of a grid of {@code count} cells. */
  static int gridColumns(int count) {
    return (int) Math.ceil(Math.sqrt(count));
  }

  /** Grey of a pixel value in the grid: ink is dark on white paper. */
  static int greyOf(int pixel) {
    return 255 - pixel;
  }

  private static void drawImage(BufferedImage canvas, LabeledImages images, int index, int x0, int y0) {
    for (int r = 0; r < images.rows(); r++) {
      for (int c = 0; c < images.cols(); c++) {
        int v = greyOf(images.pixel(index, r, c));
        int rgb = (v << 16) | (v << 8) | v;
        for (int dy = 0; dy < SCALE; dy++) {
          for (int dx = 0; dx < SCALE; dx++) {
            canvas.setRGB(x0 + c * SCALE + dx, y0 + r * SCALE + dy, rgb);
          }
        }
      }
    }
  }

  private static String fitted(String text, FontMetrics metrics, int width) {
    String s = text;
    while (s.length() > 1 && metrics.stringWidth(s) > width) {
      s = s.substring(0, s.length() - 1);
    }
    return s.equals(text) ? s : s.substring(0, Math.max(1, s.length() - 1)) + "…";
  }

  private static int[] sample(int n, int count, long seed) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return Arrays.copyOf(all, count);
  }

  /**
   * A bar chart of images per class for one or more splits (one bar series per split, e.g. "train"
   * and "test"), written to {@code png} ({@value #CHART_WIDTH}×{@value #CHART_HEIGHT} pixels).
   */
  public static void labelDistribution(Map<String, LabeledImages> splits, List<String> classNames, String title,
      Path png) throws IOException {
    checkArgument(!splits.isEmpty(), "at least one split is needed");
    CategoryChart chart = new CategoryChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT).title(title)
        .xAxisTitle("class").yAxisTitle("images").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setLegendVisible(splits.size() > 1);
    chart.getStyler().setXAxisLabelRotation(classNames.stream().anyMatch(n -> n.length() > 3) ? 30 : 0);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    for (Map.Entry<String, LabeledImages> e : splits.entrySet()) {
      LabeledImages images = e.getValue();
      checkArgument(classNames.size() >= images.numClasses(), "%s class names for %s classes",
          classNames.size(), images.numClasses());
      int[] counts = images.classCounts();
      List<String> x = new ArrayList<>();
      List<Integer> y = new ArrayList<>();
      for (int c = 0; c < counts.length; c++) {
        x.add(classNames.get(c));
        y.add(counts[c]);
      }
      chart.addSeries(e.getKey() + " (" + images.count() + ")", x, y);
    }
    Path temp = AtomicFiles.tempFileBeside(png);
    boolean done = false;
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
      }
      AtomicFiles.moveIntoPlace(temp, png);
      done = true;
    } finally {
      if (!done) {
        AtomicFiles.deleteQuietly(temp);
      }
    }
  }

  /** The label distribution of a dataset's train and test splits, titled with its name. */
  public static void labelDistribution(MnistDataset dataset, Path png) throws IOException {
    Map<String, LabeledImages> splits = new LinkedHashMap<>();
    splits.put("train", dataset.train());
    splits.put("test", dataset.test());
    labelDistribution(splits, dataset.classNames(), "Images per class: " + dataset.name(), png);
  }

  private static void writePng(BufferedImage image, Path png) throws IOException {
    Path temp = AtomicFiles.tempFileBeside(png);
    boolean done = false;
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        if (!ImageIO.write(image, "png", out)) {
          throw new IOException("no PNG writer in this JVM");
        }
      }
      AtomicFiles.moveIntoPlace(temp, png);
      done = true;
    } finally {
      if (!done) {
        AtomicFiles.deleteQuietly(temp);
      }
    }
  }
}
