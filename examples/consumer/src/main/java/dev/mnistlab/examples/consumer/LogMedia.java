package dev.mnistlab.examples.consumer;

// sample:start
import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.tracking.ConfusionMatrix;
import dev.mnistlab.tracking.Image;
import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.Table;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Logs what any DL4J classifier of 28x28 digits does on test images as W&amp;B media: the
 * confusion-matrix chart, the misclassified digits with captions, a predictions table with image
 * cells, the architecture as a run file and a console line. Everything goes to the local store
 * first and reaches W&amp;B (now or on {@code mnistlab sync}) from there.
 */
public final class LogMedia {
  private LogMedia() {}

  /** Classifies the first {@code count} images; returns how many were misclassified. */
  public static int log(Run run, MultiLayerNetwork network, LabeledImages test,
      List<String> classNames, int count) {
    int n = Math.min(count, test.count());
    float[][] pixels = new float[n][test.pixelsPerImage()];
    for (int i = 0; i < n; i++) {
      byte[] image = test.image(i);
      for (int j = 0; j < image.length; j++) {
        pixels[i][j] = (image[j] & 0xFF) / 255f;
      }
    }
    INDArray probabilities = network.output(Nd4j.create(pixels));
    long[][] counts = new long[classNames.size()][classNames.size()];
    List<Image> misclassified = new ArrayList<>();
    Table.Builder table = Table.builder("index", "image", "true", "predicted", "probability");
    for (int i = 0; i < n; i++) {
      int predicted = Nd4j.argMax(probabilities.getRow(i)).getInt(0);
      int actual = test.label(i);
      double p = probabilities.getDouble(i, predicted);
      counts[actual][predicted]++;
      Image digit = Image.of(picture(test, i));
      table.row(i, digit, classNames.get(actual), classNames.get(predicted), p);
      if (predicted != actual) {
        misclassified.add(digit.withCaption(String.format(Locale.ROOT, "%s → %s (%.2f)",
            classNames.get(actual), classNames.get(predicted), p)));
      }
    }
    run.log(Map.of(
        "confusion_matrix", ConfusionMatrix.of(classNames, counts),
        "misclassified", misclassified,
        "predictions", table.build()));
    run.file("model-summary.txt", network.summary().getBytes(StandardCharsets.UTF_8));
    run.console("classified " + n + " test images, " + misclassified.size() + " wrong");
    return misclassified.size();
  }

  /** A digit as a greyscale picture, dark ink on white. */
  private static BufferedImage picture(LabeledImages images, int index) {
    BufferedImage picture = new BufferedImage(images.cols(), images.rows(), BufferedImage.TYPE_BYTE_GRAY);
    for (int r = 0; r < images.rows(); r++) {
      for (int c = 0; c < images.cols(); c++) {
        picture.getRaster().setSample(c, r, 0, 255 - images.pixel(index, r, c));
      }
    }
    return picture;
  }
}
// sample:end
