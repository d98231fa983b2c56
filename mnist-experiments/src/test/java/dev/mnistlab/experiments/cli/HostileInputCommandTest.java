package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mnistlab.models.ModelFiles;
import dev.mnistlab.models.ModelMetadata;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Inputs that used to hang, run out of memory or end in "internal error": each now gets one line
 * naming the file and what was expected, exit code 2, within seconds.
 */
class HostileInputCommandTest {
  private static final Duration BOUND = Duration.ofSeconds(60);
  @TempDir Path dir;

  private Path fifo(String name) throws Exception {
    Path p = dir.resolve(name);
    Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertThat(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0).as("mkfifo").isTrue();
    return p;
  }

  private static CliRun run(String... args) {
    return assertTimeoutPreemptively(BOUND, () -> CliRun.of(args));
  }

  private static void assertUserError(CliRun run, String... fragments) {
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err()).contains(fragments).doesNotContain("internal error")
        .doesNotContain("\tat ");
    assertThat(run.errLines()).hasSize(1);
  }

  /** A model whose first layer takes 100 inputs, not 28x28 images. */
  private Path otherShapeModel() throws Exception {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
        .layer(new DenseLayer.Builder().nIn(100).nOut(8).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(10)
            .activation(Activation.SOFTMAX).build())
        .build());
    net.init();
    Path zip = dir.resolve("other-shape.zip");
    ModelFiles.save(net, ModelMetadata.unknown(), zip);
    return zip;
  }

  /** A valid PNG header (signature and IHDR) declaring {@code width x height} grey pixels. */
  private Path pngDeclaring(int width, int height) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream h = new DataOutputStream(ihdr);
    h.writeBytes("IHDR");
    h.writeInt(width);
    h.writeInt(height);
    h.write(new byte[] {8, 0, 0, 0, 0}); // 8-bit grey, deflate, no filter, no interlace
    byte[] chunk = ihdr.toByteArray();
    out.writeInt(chunk.length - 4);
    out.write(chunk);
    CRC32 crc = new CRC32();
    crc.update(chunk);
    out.writeInt((int) crc.getValue());
    Path png = dir.resolve("huge.png");
    Files.write(png, bytes.toByteArray());
    return png;
  }

  @Test
  void aFifoAsPredictInputIsRefusedInsteadOfBlocking() throws Exception {
    Path model = Files.writeString(dir.resolve("model.zip"), "not read");
    Path input = fifo("digit.png");
    assertUserError(run("predict", model.toString(), input.toString()), input.toString(), "FIFO");
  }

  @Test
  void aFifoAsDataInspectFileIsRefusedInsteadOfBlocking() throws Exception {
    Path input = fifo("train-images-idx3-ubyte");
    assertUserError(run("data", "inspect", input.toString()), input.toString(), "FIFO");
  }

  @Test
  void aFifoDirectoryDevZeroOrHugeFileAsSweepConfigIsNamedAndNotRead() throws Exception {
    Path fifo = fifo("sweep.json");
    assertUserError(run("sweep", fifo.toString(), "--dry-run"), fifo.toString(), "FIFO");
    Path folder = Files.createDirectory(dir.resolve("configs"));
    assertUserError(run("sweep", folder.toString(), "--dry-run"), folder.toString(), "directory");
    assertUserError(run("sweep", "/dev/zero", "--dry-run"), "/dev/zero", "not a regular file");
    Path huge = dir.resolve("huge.json");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(3L << 30); // sparse: 3 GB that takes no disk space
    }
    assertUserError(run("sweep", huge.toString(), "--dry-run"), huge.toString(), "more than");
  }

  @Test
  void aFifoOrASymlinkLoopInADataFolderIsNamedNotReportedMissing() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Process mk = new ProcessBuilder("mkfifo", data.resolve("train-images-idx3-ubyte").toString()).start();
    assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertUserError(run("data", "inspect", data.toString()), "train-images-idx3-ubyte", "FIFO");

    Path looped = Files.createDirectory(dir.resolve("looped"));
    Path link = looped.resolve("train-images-idx3-ubyte.gz");
    Files.createSymbolicLink(link, link.getFileName());
    assertUserError(run("data", "inspect", looped.toString()), link.toString(), "symbolic-link loop");
  }

  @Test
  void aPngDeclaringAHugeImageIsRefusedBeforeDecoding() throws Exception {
    Path png = pngDeclaring(46_000, 46_000);
    assertThat(Files.size(png)).isLessThan(100);
    assertUserError(run("predict", otherShapeModel().toString(), png.toString()),
        png.toString(), "46000 x 46000");
  }

  @Test
  void predictingWithAModelOfAnotherInputShapeSaysWhatItExpects() throws Exception {
    Path digit = dir.resolve("digit.png");
    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(28, 28,
        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 6; y < 22; y++) {
      image.getRaster().setSample(14, y, 0, 255);
    }
    javax.imageio.ImageIO.write(image, "png", digit.toFile());
    assertUserError(run("predict", otherShapeModel().toString(), digit.toString()),
        "does not take 28x28 grey images", "takes 100 inputs");
  }

  @Test
  void aZipBombAsAModelIsNamedAsSuch() throws Exception {
    Path bomb = dir.resolve("bomb.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
      zip.putNextEntry(new ZipEntry("configuration.json"));
      zip.write("{}".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("coefficients.bin"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        zip.write(zeros);
      }
      zip.closeEntry();
    }
    assertThat(Files.size(bomb)).isLessThan(1 << 20);
    Path input = Files.writeString(dir.resolve("x.png"), "x");
    assertUserError(run("predict", bomb.toString(), input.toString()), bomb.toString(), "zip bomb");
  }

  @Test
  void aDamagedModelSaysWhatFailedNotNull() throws Exception {
    Path model = dir.resolve("damaged.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(model))) {
      zip.putNextEntry(new ZipEntry("configuration.json"));
      zip.write("{}".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("coefficients.bin"));
      zip.write(new byte[16]);
      zip.closeEntry();
    }
    Path input = Files.writeString(dir.resolve("x.png"), "x");
    CliRun run = run("predict", model.toString(), input.toString());
    assertUserError(run, model.toString(), "cannot restore the network");
    assertThat(run.err()).doesNotContain(": null");
  }

}
