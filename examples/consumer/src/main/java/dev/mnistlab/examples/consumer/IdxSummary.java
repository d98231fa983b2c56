package dev.mnistlab.examples.consumer;

import dev.mnistlab.data.IdxArray;
import dev.mnistlab.data.IdxFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/** Prints the type, dimensions and item count of IDX files: {@code IdxSummary FILE...}. */
public final class IdxSummary {
  private IdxSummary() {}

  /** One line describing the IDX file at {@code file}. */
  public static String describe(Path file) throws IOException {
    IdxArray array = IdxFiles.read(file);
    return file.getFileName() + ": " + array.type() + " " + Arrays.toString(array.dims()) + ", "
        + array.count() + " items";
  }

  /** Describes each file named on the command line. */
  public static void main(String[] args) throws IOException {
    for (String arg : args) {
      System.out.println(describe(Paths.get(arg)));
    }
  }
}
