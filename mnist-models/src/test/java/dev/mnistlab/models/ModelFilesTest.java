package dev.mnistlab.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelFilesTest {

  @TempDir Path dir;

  private static ModelMetadata metadata() {
    return ModelMetadata.builder()
        .modelName("cnn-batchnorm")
        .hyperparameters(ModelZoo.get("cnn-batchnorm").defaults())
        .dataset("mnist-10k", Map.of("train-images-idx3-ubyte.gz", "4d964ec7"))
        .classNames(java.util.List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"))
        .metric("test_accuracy", 0.98)
        .gitCommit("abc123")
        .extra("batch_size", 64)
        .build();
  }

  @Test
  void savedModelLoadsWithIdenticalOutputsAndMetadata() throws Exception {
    MultiLayerNetwork network = ModelZoo.get("cnn-batchnorm").build();
    INDArray input = Nd4j.rand(DataType.FLOAT, 5, 1, 28, 28);
    INDArray expected = network.output(input, false);
    Path file = dir.resolve("models/model.zip");

    ModelFiles.save(network, metadata(), file);
    SavedModel loaded = ModelFiles.load(file);

    assertThat(loaded.network().output(input, false)).isEqualTo(expected);
    assertThat(loaded.network().params()).isEqualTo(network.params());
    assertThat(Dl4jRuntime.layerHelpers(loaded.network())).contains("MKLDNNConvHelper", "MKLDNNBatchNormHelper");
    ModelMetadata m = loaded.metadata();
    assertThat(m.modelName()).isEqualTo("cnn-batchnorm");
    assertThat(m.formatVersion()).isEqualTo(ModelMetadata.FORMAT_VERSION);
    assertThat(m.dataset()).isEqualTo("mnist-10k");
    assertThat(m.datasetChecksums()).containsEntry("train-images-idx3-ubyte.gz", "4d964ec7");
    assertThat(m.metrics()).containsEntry("test_accuracy", 0.98);
    assertThat(m.gitCommit()).contains("abc123");
    assertThat(m.classNames()).hasSize(10);
    assertThat(m.libraryVersions()).containsEntry("deeplearning4j", "1.0.0-M2.1").containsKey("mnistlab");
    assertThat(m.hyperparameters()).containsEntry("optimizer", "adam").containsEntry("dropout", 0.5);
    assertThat(Hyperparameters.fromMap(m.hyperparameters(), Hyperparameters.builder().build()))
        .isEqualTo(ModelZoo.get("cnn-batchnorm").defaults());
    assertThat(m.extras()).containsEntry("batch_size", 64);
    assertThat(dir.resolve("models").toFile().list()).containsExactly("model.zip");
  }

  @Test
  void loadsPlainDl4jZipsWithUnknownMetadata() throws Exception {
    MultiLayerNetwork network = ModelZoo.get("mlp").build();
    Path file = dir.resolve("plain.zip");
    ModelSerializer.writeModel(network, file.toFile(), false);

    SavedModel loaded = ModelFiles.load(file);

    assertThat(loaded.metadata().modelName()).isEqualTo("unknown");
    assertThat(loaded.network().params()).isEqualTo(network.params());
  }

  @Test
  void rejectsMissingFileNamingIt() {
    Path missing = dir.resolve("nope.zip");
    assertThatThrownBy(() -> ModelFiles.load(missing))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("no such file");
  }

  @Test
  void rejectsFileThatIsNotAZip() throws Exception {
    Path text = Files.writeString(dir.resolve("model.zip"), "hello, I am not a model");
    assertThatThrownBy(() -> ModelFiles.load(text))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining(text.toString())
        .hasMessageContaining("not a zip file");
  }

  @Test
  void rejectsTruncatedModelFile() throws Exception {
    Path file = dir.resolve("model.zip");
    ModelFiles.save(ModelZoo.get("cnn-basic").build(), metadata(), file);
    byte[] bytes = Files.readAllBytes(file);
    Path damaged = Files.write(dir.resolve("damaged.zip"), Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> ModelFiles.load(damaged))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining(damaged.toString());
  }

  @Test
  void rejectsZipThatIsNotADl4jModel() throws Exception {
    Path zip = dir.resolve("other.zip");
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
      out.write("hi".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.closeEntry();
    }
    assertThatThrownBy(() -> ModelFiles.load(zip))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining("not a DL4J model");
  }

  @Test
  void saveLeavesNoTemporaryFileWhenTheTargetIsADirectory() throws Exception {
    Path target = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(target.resolve("keep.txt"), "x");

    assertThatThrownBy(() -> ModelFiles.save(ModelZoo.get("mlp").build(), metadata(), target))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining(target.toString());
    assertThat(dir.toFile().list()).containsExactly("taken");
  }
}
