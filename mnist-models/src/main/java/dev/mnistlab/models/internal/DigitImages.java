package dev.mnistlab.models.internal;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Turns a picture of a digit of any size into an MNIST-like 28x28 image: grey levels, white digit
 * on black (inverted when the background is light), the digit's bounding box scaled to fit a 20x20
 * box with its aspect ratio kept, then placed so that its centre of mass is at the centre of the
 * 28x28 field — the normalisation LeCun et al. describe for MNIST.
 */
public final class DigitImages {

  private static final int SIDE = 28;
  private static final int BOX = 20;

  private DigitImages() {}

  /**
   * The 784 pixel intensities in [0, 1], row-major.
   *
   * @throws IllegalArgumentException if the image holds no digit (a uniform picture)
   */
  public static float[] toMnist(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    double[] grey = new double[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int argb = image.getRGB(x, y);
        double alpha = ((argb >>> 24) & 0xFF) / 255.0;
        double r = (argb >> 16) & 0xFF;
        double g = (argb >> 8) & 0xFF;
        double b = argb & 0xFF;
        double luma = 0.299 * r + 0.587 * g + 0.114 * b;
        // transparent pixels count as the page: composite over white
        grey[y * w + x] = alpha * luma + (1 - alpha) * 255;
      }
    }
    // decide the background from the border: MNIST wants a dark background
    double border = 0;
    int borderCount = 0;
    for (int x = 0; x < w; x++) {
      border += grey[x] + grey[(h - 1) * w + x];
      borderCount += 2;
    }
    for (int y = 0; y < h; y++) {
      border += grey[y * w] + grey[y * w + w - 1];
      borderCount += 2;
    }
    boolean invert = border / borderCount > 127.5;
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int i = 0; i < grey.length; i++) {
      if (invert) {
        grey[i] = 255 - grey[i];
      }
      min = Math.min(min, grey[i]);
      max = Math.max(max, grey[i]);
    }
    if (max - min < 16) {
      throw new IllegalArgumentException("no digit found: the image is uniform");
    }
    // background to 0, ink to 255
    double threshold = 0.2;
    int left = w;
    int right = -1;
    int top = h;
    int bottom = -1;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = (grey[y * w + x] - min) / (max - min);
        grey[y * w + x] = v;
        if (v > threshold) {
          left = Math.min(left, x);
          right = Math.max(right, x);
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
        }
      }
    }
    int bw = right - left + 1;
    int bh = bottom - top + 1;
    BufferedImage crop = new BufferedImage(bw, bh, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < bh; y++) {
      for (int x = 0; x < bw; x++) {
        double v = grey[(top + y) * w + left + x];
        int level = (int) Math.round(Math.max(0, (v - 0.05) / 0.95) * 255);
        crop.getRaster().setSample(x, y, 0, level);
      }
    }
    double scale = (double) BOX / Math.max(bw, bh);
    int sw = Math.max(1, (int) Math.round(bw * scale));
    int sh = Math.max(1, (int) Math.round(bh * scale));
    BufferedImage scaled = scale(crop, sw, sh);
    float[] box = new float[sw * sh];
    double mass = 0;
    double cx = 0;
    double cy = 0;
    for (int y = 0; y < sh; y++) {
      for (int x = 0; x < sw; x++) {
        float v = scaled.getRaster().getSample(x, y, 0) / 255f;
        box[y * sw + x] = v;
        mass += v;
        cx += v * x;
        cy += v * y;
      }
    }
    cx = mass > 0 ? cx / mass : (sw - 1) / 2.0;
    cy = mass > 0 ? cy / mass : (sh - 1) / 2.0;
    int offsetX = (int) Math.round(SIDE / 2.0 - 0.5 - cx);
    int offsetY = (int) Math.round(SIDE / 2.0 - 0.5 - cy);
    float[] out = new float[SIDE * SIDE];
    for (int y = 0; y < sh; y++) {
      for (int x = 0; x < sw; x++) {
        int tx = x + offsetX;
        int ty = y + offsetY;
        if (tx >= 0 && ty >= 0 && tx < SIDE && ty < SIDE) {
          out[ty * SIDE + tx] = box[y * sw + x];
        }
      }
    }
    return out;
  }

  private static BufferedImage scale(BufferedImage source, int width, int height) {
    // shrink in halving steps with bilinear filtering (anti-aliased), then to the exact size
    BufferedImage current = source;
    int cw = source.getWidth();
    int ch = source.getHeight();
    while (cw / 2 >= width && ch / 2 >= height) {
      cw /= 2;
      ch /= 2;
      current = draw(current, cw, ch);
    }
    return draw(current, width, height);
  }

  private static BufferedImage draw(BufferedImage source, int width, int height) {
    BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = target.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(source, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return target;
  }
}
