package dev.mnistlab.examples.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mnistlab.data.Compression;
import dev.mnistlab.data.IdxArray;
import dev.mnistlab.data.IdxFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxSummaryTest {
  @TempDir Path dir;

  @Test
  void readsAnIdxFileThroughTheLibraryArtifact() throws Exception {
    byte[] labels = {3, 1, 4, 1, 5, 9, 2};
    Path file = dir.resolve("labels-idx1-ubyte.gz");
    IdxFiles.write(file, IdxArray.ofUnsignedBytes(labels, labels.length), Compression.GZIP);

    assertEquals(7, IdxFiles.read(file).count());
    assertEquals("labels-idx1-ubyte.gz: UNSIGNED_BYTE [7], 7 items", IdxSummary.describe(file));
  }
}
