package dev.mnistlab.models;

import dev.mnistlab.data.IdxArray;
import dev.mnistlab.data.IdxFiles;
import dev.mnistlab.data.IdxFormatException;
import dev.mnistlab.data.IdxType;
import dev.mnistlab.data.InputFiles;
import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.models.internal.DigitImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Classifies digits with a trained model: a PNG/JPEG picture of any size (normalised like MNIST:
 * grey, inverted when the background is light, fitted into 20x20 and centred by centre of mass in
 * 28x28), 784 raw pixels, or every image of an IDX file (with accuracy when the labels file is
 * beside it). Create from {@link SavedModel#predictor()} or directly from a network.
 *
 * <p>Not thread-safe (DL4J networks are not); use one predictor per thread.
 */
public final class Predictor {

  private static final int SIDE = 28;
  private static final int PIXELS = SIDE * SIDE;
  private static final int BATCH = 256;

  private final MultiLayerNetwork network;
  private final List<String> classNames;

  /**
   * A predictor for a network taking {@code [batch, 1, 28, 28]} input (every zoo model does).
   *
   * @param classNames names by class index; empty to print indices
   */
  public Predictor(MultiLayerNetwork network, List<String> classNames) {
    this.network = Dl4jRuntime.prepare(Objects.requireNonNull(network, "network"));
    this.classNames = List.copyOf(classNames);
  }

  /** Class names by index (possibly empty). */
  public List<String> classNames() {
    return classNames;
  }

  /**
   * Classifies one image given as 784 intensities in [0, 1], row-major, white digit on black.
   *
   * @throws IllegalArgumentException if there are not 784 values
   */
  public ClassPrediction predict(float[] pixels) {
    if (pixels.length != PIXELS) {
      throw new IllegalArgumentException("expected 784 pixels (28x28), got " + pixels.length);
    }
    INDArray input = Nd4j.create(pixels, new long[] {1, 1, SIDE, SIDE}, DataType.FLOAT);
    INDArray output = output(input);
    return new ClassPrediction(output.toDoubleVector(), classNames);
  }

  /**
   * The network's output, or, when the network was built for another input (not 28x28 grey
   * images), an {@link IncompatibleModelException} saying what its first layer expects.
   */
  private INDArray output(INDArray input) {
    try {
      return network.output(input, false);
    } catch (org.deeplearning4j.exception.DL4JInvalidInputException | IllegalStateException e) {
      throw new IncompatibleModelException("the model does not take 28x28 grey images ([batch, 1, 28,"
          + " 28], 784 pixels): " + expectedInput() + " (DL4J: " + firstLine(e.getMessage()) + ")", e);
    }
  }

  private String expectedInput() {
    var layers = network.getLayerWiseConfigurations().getConfs();
    if (layers.isEmpty()) {
      return "it has no layers";
    }
    var first = layers.get(0).getLayer();
    String type = first.getClass().getSimpleName();
    if (first instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer ff) {
      return "its first layer (" + type + ") takes " + ff.getNIn()
          + (first instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer ? " channel(s)" : " inputs");
    }
    return "its first layer is a " + type;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no details";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** Classifies a picture of a digit, normalised like MNIST first. */
  public ClassPrediction predictImage(BufferedImage image) {
    return predict(DigitImages.toMnist(image));
  }

  /**
   * Reads a PNG or JPEG (any size, colour or grey, dark-on-light or light-on-dark) and classifies
   * it.
   *
   * @throws InvalidInputException if the file is not a readable image or shows no digit
   * @throws IOException if the file cannot be read
   */
  public ClassPrediction predictImage(Path file) throws IOException {
    InputFiles.requireRegularFile(file, "a PNG or JPEG picture of a digit");
    BufferedImage image;
    try {
      image = readBoundedImage(file);
    } catch (InvalidInputException e) {
      throw e;
    } catch (IOException e) {
      if (!Files.exists(file)) {
        throw new InvalidInputException(file, "no such file", e);
      }
      throw new InvalidInputException(file, "cannot decode the image (expected PNG or JPEG): " + e.getMessage(), e);
    }
    if (image == null) {
      throw new InvalidInputException(file, "not a PNG or JPEG image (expected a picture of a digit, or an IDX images file)");
    }
    float[] pixels;
    try {
      pixels = DigitImages.toMnist(image);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(file, e.getMessage() + " (expected a picture of one digit)", e);
    }
    return predict(pixels);
  }

  /** The largest picture decoded: 4096 x 4096 (16.8 megapixels), about 200 MB while normalised. */
  public static final long MAX_IMAGE_PIXELS = 4096L * 4096L;

  /**
   * Decodes an image after reading only its header: a small file can declare a picture of
   * 46000 x 46000 pixels, whose raster alone would exhaust the heap, so the declared size is checked
   * against {@link #MAX_IMAGE_PIXELS} first.
   */
  private static BufferedImage readBoundedImage(Path file) throws IOException {
    try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        return null;
      }
      var readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      javax.imageio.ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width * height > MAX_IMAGE_PIXELS) {
          throw new InvalidInputException(file, "the image declares " + width + " x " + height
              + " pixels, more than the " + MAX_IMAGE_PIXELS + " (4096 x 4096) mnistlab decodes;"
              + " scale it down (a digit needs 28 x 28)");
        }
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    }
  }

  /**
   * Classifies every image of an IDX images file (unsigned bytes, {@code [count, 28, 28]}, raw or
   * gzip). If the matching labels file is beside it ({@code ...-images-idx3-ubyte} to {@code
   * ...-labels-idx1-ubyte}), the result carries a DL4J {@link Evaluation} against those labels.
   *
   * @throws InvalidInputException if the file is not an IDX file of 28x28 unsigned-byte images, or
   *     its labels file is damaged
   * @throws IOException if a file cannot be read
   */
  public IdxPredictions predictIdx(Path imagesFile) throws IOException {
    IdxArray images;
    try {
      images = IdxFiles.read(imagesFile);
    } catch (IdxFormatException e) {
      throw new InvalidInputException(imagesFile, "not a valid IDX file: " + e.getMessage(), e);
    }
    int[] dims = images.dims();
    if (images.type() != IdxType.UNSIGNED_BYTE || dims.length != 3 || dims[1] != SIDE || dims[2] != SIDE) {
      throw new InvalidInputException(
          imagesFile,
          "IDX "
              + images.type()
              + " with dimensions "
              + Arrays.toString(dims)
              + "; expected unsigned-byte images of shape [count, 28, 28]");
    }
    Optional<Evaluation> evaluation = Optional.empty();
    int[] trueLabels = null;
    Optional<Path> labelsFile = LabeledImages.labelsFileBeside(imagesFile);
    if (labelsFile.isPresent() && Files.isRegularFile(labelsFile.get())) {
      int numClasses = Math.max(10, classNames.size());
      try {
        trueLabels = LabeledImages.read(imagesFile, labelsFile.get(), numClasses).labels();
      } catch (IdxFormatException e) {
        throw new InvalidInputException(labelsFile.get(), "labels file unusable: " + e.getMessage(), e);
      }
      evaluation = Optional.of(classNames.isEmpty() ? new Evaluation(numClasses) : new Evaluation(classNames));
    }
    byte[] pixels = images.toByteArray();
    int count = dims[0];
    int[] predicted = new int[count];
    double[] confidence = new double[count];
    for (int start = 0; start < count; start += BATCH) {
      int n = Math.min(BATCH, count - start);
      float[] x = new float[n * PIXELS];
      for (int i = 0; i < x.length; i++) {
        x[i] = (pixels[start * PIXELS + i] & 0xFF) / 255f;
      }
      INDArray output = output(Nd4j.create(x, new long[] {n, 1, SIDE, SIDE}, DataType.FLOAT));
      INDArray best = output.argMax(1);
      for (int i = 0; i < n; i++) {
        predicted[start + i] = best.getInt(i);
        confidence[start + i] = output.getDouble(i, predicted[start + i]);
      }
      if (evaluation.isPresent()) {
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, output.size(1));
        for (int i = 0; i < n; i++) {
          labels.putScalar(i, trueLabels[start + i], 1f);
        }
        evaluation.get().eval(labels, output);
      }
    }
    return new IdxPredictions(count, predicted, confidence, evaluation);
  }

  /**
   * True if the file starts like an IDX file (raw: two zero bytes then a type code; or gzip, which
   * is how MNIST ships), false for anything else (e.g. PNG or JPEG).
   *
   * @throws IOException if the file cannot be read
   */
  public static boolean looksLikeIdx(Path file) throws IOException {
    byte[] head = new byte[4];
    int read;
    try (InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(head, 0, 4);
    }
    if (read >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
      return true;
    }
    return read == 4 && head[0] == 0 && head[1] == 0 && head[2] >= 0x08 && head[2] <= 0x0E;
  }
}
