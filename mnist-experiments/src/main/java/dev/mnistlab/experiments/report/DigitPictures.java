package dev.mnistlab.experiments.report;

import dev.mnistlab.data.DataPictures;
import java.util.Base64;

/**
 * Digit pictures as PNG data URIs for the report: the PNG bytes are mnist-data's ({@link
 * DataPictures#digitPng}), the same a tracked run uploads as media.
 */
public final class DigitPictures {
  private DigitPictures() {}

  /**
   * One image, scaled up by {@code scale} with nearest-neighbour pixels, as a {@code
   * data:image/png;base64,...} URI. Ink is drawn dark on white, as on paper.
   */
  public static String dataUri(byte[] pixels, int rows, int cols, int scale) {
    return dataUri(DataPictures.digitPng(pixels, rows, cols, scale));
  }

  /** PNG bytes as a {@code data:image/png;base64,...} URI. */
  public static String dataUri(byte[] png) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
  }
}
