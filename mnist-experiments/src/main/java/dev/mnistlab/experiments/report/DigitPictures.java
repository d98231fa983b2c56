package dev.mnistlab.experiments.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/** Renders greyscale digit images (row-major unsigned bytes) as PNG data URIs for the report. */
public final class DigitPictures {
  private DigitPictures() {}

  /**
   * One image, scaled up by {@code scale} with nearest-neighbour pixels, as a {@code
   * data:image/png;base64,...} URI. Ink is drawn dark on white, as on paper.
   */
  public static String dataUri(byte[] pixels, int rows, int cols, int scale) {
    BufferedImage image = new BufferedImage(cols * scale, rows * scale, BufferedImage.TYPE_BYTE_GRAY);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int ink = pixels[r * cols + c] & 0xFF;
        int grey = 255 - ink;
        int rgb = new Color(grey, grey, grey).getRGB();
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            image.setRGB(c * scale + dx, r * scale + dy, rgb);
          }
        }
      }
    }
    return toDataUri(image);
  }

  /**
   * A grid of labelled samples: one row per class, {@code perClass} images each.
   *
   * @param rowsOfImages per class, the images to show (each {@code rows*cols} bytes)
   * @param classNames the row labels
   */
  public static String sampleGrid(List<List<byte[]>> rowsOfImages, List<String> classNames,
      int rows, int cols, int scale) {
    int labelWidth = 90;
    int perClass = rowsOfImages.stream().mapToInt(List::size).max().orElse(0);
    int cellW = cols * scale + 2;
    int cellH = rows * scale + 2;
    BufferedImage grid = new BufferedImage(labelWidth + perClass * cellW,
        Math.max(1, rowsOfImages.size()) * cellH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int k = 0; k < rowsOfImages.size(); k++) {
      g.setColor(new Color(40, 40, 40));
      String label = k < classNames.size() ? classNames.get(k) : Integer.toString(k);
      g.drawString(label.length() > 13 ? label.substring(0, 12) + "." : label, 4,
          k * cellH + cellH / 2 + 4);
      List<byte[]> images = rowsOfImages.get(k);
      for (int i = 0; i < images.size(); i++) {
        byte[] pixels = images.get(i);
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < cols; c++) {
            int grey = 255 - (pixels[r * cols + c] & 0xFF);
            g.setColor(new Color(grey, grey, grey));
            g.fillRect(labelWidth + i * cellW + 1 + c * scale, k * cellH + 1 + r * scale, scale, scale);
          }
        }
      }
    }
    g.dispose();
    return toDataUri(grid);
  }

  private static String toDataUri(BufferedImage image) {
    try {
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(image, "png", png);
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding failed", e);
    }
  }
}
