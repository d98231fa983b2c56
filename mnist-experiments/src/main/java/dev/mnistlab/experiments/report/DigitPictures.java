package dev.mnistlab.experiments.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
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
