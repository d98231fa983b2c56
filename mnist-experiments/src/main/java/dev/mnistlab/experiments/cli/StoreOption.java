package dev.mnistlab.experiments.cli;

import dev.mnistlab.tracking.LocalStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --store} option shared by the commands that read the local run store. */
final class StoreOption {

  @Option(names = "--store", paramLabel = "PATH|JDBC_URL", defaultValue = LocalStore.DEFAULT_LOCATION,
      description = "Local run store: a SQLite file or a jdbc:postgresql: URL (default:"
          + " ${DEFAULT-VALUE}).")
  String location;

  /**
   * Opens an existing store for reading. A SQLite path that does not exist is a user error (it
   * would otherwise be created empty).
   */
  LocalStore openExisting() throws NoSuchFileException {
    checkExists();
    return LocalStore.open(location);
  }

  /**
   * Opens an existing store read-only, for commands that only read it: nothing is migrated or
   * written, so a store on a read-only mount can be listed.
   */
  LocalStore openForReading() throws NoSuchFileException {
    checkExists();
    return LocalStore.openReadOnly(location);
  }

  private void checkExists() throws NoSuchFileException {
    if (!location.startsWith("jdbc:") && !Files.exists(Path.of(location))) {
      throw new NoSuchFileException(location, null,
          "no run store here yet; run a sweep first or pass --store");
    }
  }
}
