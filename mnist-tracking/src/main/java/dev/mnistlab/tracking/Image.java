package dev.mnistlab.tracking;

import dev.mnistlab.tracking.internal.Hashes;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * A PNG picture with an optional caption, logged as a history value ({@code run.log(Map.of("digit",
 * image))}), as a list of pictures ({@code List<Image>}, e.g. misclassified digits with their
 * captions) or as a {@link Table} cell. W&amp;B shows it in the run's Media panels; the PNG itself
 * is stored with the run as a file under {@code media/images/} and uploaded from the local store,
 * so an offline run gets it on {@code mnistlab sync}. Immutable.
 */
public final class Image {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private final byte[] png;
  private final int width;
  private final int height;
  private final String caption;
  private final String sha256;

  private Image(byte[] png, int width, int height, String caption, String sha256) {
    this.png = png;
    this.width = width;
    this.height = height;
    this.caption = caption;
    this.sha256 = sha256;
  }

  /**
   * A picture from PNG file content; its size is read from the PNG header.
   *
   * @throws IllegalArgumentException if the bytes are not a PNG (no PNG signature or IHDR chunk)
   */
  public static Image png(byte[] png) {
    Objects.requireNonNull(png, "png");
    byte[] copy = png.clone();
    boolean signed = copy.length >= 24;
    for (int i = 0; signed && i < SIGNATURE.length; i++) {
      signed = copy[i] == SIGNATURE[i];
    }
    if (!signed || copy[12] != 'I' || copy[13] != 'H' || copy[14] != 'D' || copy[15] != 'R') {
      throw new IllegalArgumentException("image bytes are not a PNG: expected the PNG signature"
          + " followed by an IHDR chunk (" + copy.length + " bytes given)");
    }
    int width = readInt(copy, 16);
    int height = readInt(copy, 20);
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("PNG header gives an image of " + width + "x" + height
          + " pixels: expected a positive width and height");
    }
    return new Image(copy, width, height, null, Hashes.sha256Hex(copy));
  }

  /** A picture from an AWT image (e.g. a {@code BufferedImage}), encoded as PNG. */
  public static Image of(RenderedImage image) {
    Objects.requireNonNull(image, "image");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalArgumentException("no PNG writer for image type " + image.getClass().getName());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding failed", e);
    }
    return png(out.toByteArray());
  }

  /** This picture with {@code caption} (shown under it by W&amp;B and the mnistlab report). */
  public Image withCaption(String caption) {
    return new Image(png, width, height, Objects.requireNonNull(caption, "caption"), sha256);
  }

  /** A copy of the PNG bytes. */
  public byte[] png() {
    return png.clone();
  }

  /** Width in pixels. */
  public int width() {
    return width;
  }

  /** Height in pixels. */
  public int height() {
    return height;
  }

  /** The caption, if any. */
  public Optional<String> caption() {
    return Optional.ofNullable(caption);
  }

  /** SHA-256 of the PNG bytes, hex (W&amp;B names and checks media files by it). */
  public String sha256() {
    return sha256;
  }

  /** The PNG size in bytes. */
  public int size() {
    return png.length;
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Image i && i.sha256.equals(sha256) && Objects.equals(i.caption, caption);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sha256, caption);
  }

  @Override
  public String toString() {
    return "Image{" + width + "x" + height + (caption == null ? "" : ", caption=" + caption) + "}";
  }
}
