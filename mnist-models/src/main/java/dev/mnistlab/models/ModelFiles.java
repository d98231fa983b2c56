package dev.mnistlab.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Saves and loads models: a DL4J {@link ModelSerializer} zip (configuration, weights, updater state)
 * with the {@link ModelMetadata} as JSON in the entry {@value #METADATA_ENTRY} of the same zip.
 * Plain DL4J zips load too (with {@link ModelMetadata#unknown()}).
 */
public final class ModelFiles {

  /** Name of the metadata entry inside the zip. */
  public static final String METADATA_ENTRY = "mnistlab-metadata.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelFiles() {}

  /**
   * Writes the network (with updater state, so training can continue) and its metadata to {@code
   * zip}, atomically: a temporary file beside it is renamed only when complete.
   *
   * @throws ModelFileException if the file cannot be written
   */
  public static void save(MultiLayerNetwork network, ModelMetadata metadata, Path zip)
      throws ModelFileException {
    Path target = zip.toAbsolutePath();
    Path temp = null;
    try {
      Files.createDirectories(target.getParent());
      temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
      ModelSerializer.writeModel(network, temp.toFile(), true);
      try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + temp.toUri()), Map.of())) {
        Files.write(fs.getPath(METADATA_ENTRY), JSON.writeValueAsBytes(metadata));
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temp);
      throw new ModelFileException(target, "cannot write the model file: " + e.getMessage(), e);
    }
  }

  /**
   * Loads a model saved by {@link #save} (or any DL4J {@code MultiLayerNetwork} zip) and prepares
   * it for fast inference.
   *
   * @throws ModelFileException if the file is missing, not a zip, not a DL4J model, or damaged
   */
  public static SavedModel load(Path zip) throws ModelFileException {
    if (!Files.exists(zip)) {
      throw new ModelFileException(zip, "no such file (expected a model .zip saved by mnistlab)", null);
    }
    if (!Files.isRegularFile(zip)) {
      throw new ModelFileException(zip, "not a regular file (expected a model .zip)", null);
    }
    ModelMetadata metadata;
    try (ZipFile file = new ZipFile(zip.toFile())) {
      if (file.getEntry("configuration.json") == null || file.getEntry("coefficients.bin") == null) {
        throw new ModelFileException(
            zip,
            "not a DL4J model (the zip has no configuration.json and coefficients.bin entries)",
            null);
      }
      checkSizes(zip, file);
      ZipEntry entry = file.getEntry(METADATA_ENTRY);
      if (entry == null) {
        metadata = ModelMetadata.unknown();
      } else {
        try (InputStream in = file.getInputStream(entry)) {
          metadata = JSON.readValue(in, ModelMetadata.class);
        } catch (IOException e) {
          throw new ModelFileException(
              zip, "damaged metadata entry " + METADATA_ENTRY + " (expected JSON): " + e.getMessage(), e);
        }
      }
    } catch (ModelFileException e) {
      throw e;
    } catch (NoSuchFileException e) {
      throw new ModelFileException(zip, "no such file", e);
    } catch (ZipException e) {
      throw new ModelFileException(
          zip, "not a zip file or damaged (expected a model .zip saved by mnistlab): " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ModelFileException(zip, "cannot read: " + e.getMessage(), e);
    }
    MultiLayerNetwork network;
    try {
      network = ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false);
    } catch (IOException | RuntimeException e) {
      throw new ModelFileException(zip, "damaged DL4J model (cannot restore the network): "
          + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
    } catch (OutOfMemoryError e) {
      throw new ModelFileException(zip, "the network does not fit in memory (raise -Xmx, or this"
          + " is not a model mnistlab saved)", null);
    }
    return new SavedModel(Dl4jRuntime.prepare(network), metadata);
  }

  /** The most a model zip may hold uncompressed: 2 GiB (the zoo's largest model is a few MB). */
  public static final long MAX_UNCOMPRESSED_BYTES = 2L << 30;
  /** Entries above this size must not be compressed more than {@link #MAX_RATIO} times. */
  private static final long RATIO_CHECKED_ABOVE = 16L << 20;
  /** Network weights compress little (about 1.1:1); a ratio above this is a zip bomb. */
  private static final long MAX_RATIO = 100;

  /**
   * Refuses a zip whose entries would inflate to far more than a model (a "zip bomb"), from the
   * sizes in its central directory, before anything is inflated.
   */
  private static void checkSizes(Path zip, ZipFile file) throws ModelFileException {
    long total = 0;
    for (var entries = file.entries(); entries.hasMoreElements(); ) {
      ZipEntry e = entries.nextElement();
      long size = e.getSize();
      long compressed = e.getCompressedSize();
      if (size < 0) {
        continue;
      }
      total += size;
      if (size > RATIO_CHECKED_ABOVE && compressed > 0 && size / compressed > MAX_RATIO) {
        throw new ModelFileException(zip, "entry " + e.getName() + " inflates " + compressed
            + " bytes to " + size + " (" + size / compressed + ":1): a zip bomb, not a model", null);
      }
      if (total > MAX_UNCOMPRESSED_BYTES) {
        throw new ModelFileException(zip, "inflates to more than " + MAX_UNCOMPRESSED_BYTES
            + " bytes: far too large for a model", null);
      }
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // nothing more to do: the temp file is in the target's folder with a .tmp suffix
      }
    }
  }
}
