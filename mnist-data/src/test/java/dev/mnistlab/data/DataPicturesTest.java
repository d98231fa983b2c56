package dev.mnistlab.data;

import dev.mnistlab.data.testing.SharedData;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPicturesTest {
  static MnistDataset mnist;
  @TempDir Path dir;

  @BeforeAll
  static void load() throws Exception {
    mnist = MnistDataset.load(SharedData.mnist10k(), KnownDataset.MNIST);
  }

  @Test
  void drawsTheSampledDigitsInAGridOfTheExpectedSize() throws Exception {
    Path png = dir.resolve("grid.png");
    int[] sampled = DataPictures.sampleGrid(mnist.train(), mnist.classNames(), 20, 7, png);

    BufferedImage image = ImageIO.read(png.toFile());
    int columns = 5; // ceil(sqrt(20))
    int rows = 4;
    int cellW = 28 * DataPictures.SCALE;
    int cellH = 28 * DataPictures.SCALE + DataPictures.CAPTION;
    assertThat(image.getWidth()).isEqualTo(columns * (cellW + DataPictures.PAD) + DataPictures.PAD);
    assertThat(image.getHeight()).isEqualTo(rows * (cellH + DataPictures.PAD) + DataPictures.PAD);
    assertThat(sampled).hasSize(20).doesNotHaveDuplicates();
    // every cell shows exactly its sampled digit, pixel for pixel
    for (int k = 0; k < 20; k++) {
      int x0 = DataPictures.PAD + (k % columns) * (cellW + DataPictures.PAD);
      int y0 = DataPictures.PAD + (k / columns) * (cellH + DataPictures.PAD);
      for (int r = 0; r < 28; r++) {
        for (int c = 0; c < 28; c++) {
          int expected = DataPictures.greyOf(mnist.train().pixel(sampled[k], r, c));
          int rgb = image.getRGB(x0 + c * DataPictures.SCALE + 1, y0 + r * DataPictures.SCALE + 1);
          assertThat(rgb & 0xFF).as("cell %s pixel (%s,%s)", k, r, c).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void captionsEachCellWithInk() throws Exception {
    Path png = dir.resolve("grid.png");
    DataPictures.sampleGrid(mnist.test(), mnist.classNames(), 4, 1, png);
    BufferedImage image = ImageIO.read(png.toFile());
    int cellW = 28 * DataPictures.SCALE;
    int captionTop = DataPictures.PAD + 28 * DataPictures.SCALE;
    int dark = 0;
    for (int y = captionTop; y < captionTop + DataPictures.CAPTION; y++) {
      for (int x = DataPictures.PAD; x < DataPictures.PAD + cellW; x++) {
        if ((image.getRGB(x, y) & 0xFF) < 160) {
          dark++;
        }
      }
    }
    assertThat(dark).as("the class name is drawn under the first image").isGreaterThan(5);
  }

  @Test
  void sameSeedSameSample() throws Exception {
    int[] a = DataPictures.sampleGrid(mnist.test(), mnist.classNames(), 9, 3, dir.resolve("a.png"));
    int[] b = DataPictures.sampleGrid(mnist.test(), mnist.classNames(), 9, 3, dir.resolve("b.png"));
    int[] c = DataPictures.sampleGrid(mnist.test(), mnist.classNames(), 9, 4, dir.resolve("c.png"));
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
  }

  @Test
  void drawsALabelDistributionChart() throws Exception {
    Path png = dir.resolve("labels.png");
    DataPictures.labelDistribution(mnist, png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(DataPictures.CHART_WIDTH);
    assertThat(image.getHeight()).isEqualTo(DataPictures.CHART_HEIGHT);
    assertThat(distinctColours(image)).as("bars in two series colours, axes, text").isGreaterThan(10);
  }

  @Test
  void drawsTallerBarsForLargerClasses() throws Exception {
    // one split, two classes: 90 images of class 0 and 10 of class 1
    byte[] labels = new byte[100];
    for (int i = 90; i < 100; i++) {
      labels[i] = 1;
    }
    LabeledImages images = LabeledImages.of(new byte[100 * 4], labels, 2, 2, 2);
    Map<String, LabeledImages> splits = new LinkedHashMap<>();
    splits.put("train", images);
    Path png = dir.resolve("two.png");
    DataPictures.labelDistribution(splits, java.util.List.of("big", "small"), "t", png);
    BufferedImage image = ImageIO.read(png.toFile());
    int seriesColour = mostCommonSaturatedColour(image);
    int[] heights = barHeights(image, seriesColour);
    assertThat(heights).hasSize(2);
    assertThat((double) heights[0] / heights[1]).isBetween(8.0, 10.0);
  }

  private static long distinctColours(BufferedImage image) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }

  private static int mostCommonSaturatedColour(BufferedImage image) {
    Map<Integer, Integer> counts = new java.util.HashMap<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        int r = rgb >> 16;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
          counts.merge(rgb, 1, Integer::sum);
        }
      }
    }
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  /** Heights of the vertical runs of {@code colour}, one per bar, left to right. */
  private static int[] barHeights(BufferedImage image, int colour) {
    java.util.List<Integer> heights = new java.util.ArrayList<>();
    boolean inBar = false;
    for (int x = 0; x < image.getWidth(); x++) {
      int h = 0;
      for (int y = 0; y < image.getHeight(); y++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) == colour) {
          h++;
        }
      }
      if (h > 0 && !inBar) {
        heights.add(h);
        inBar = true;
      } else if (h == 0) {
        inBar = false;
      }
    }
    return heights.stream().mapToInt(Integer::intValue).toArray();
  }
}
