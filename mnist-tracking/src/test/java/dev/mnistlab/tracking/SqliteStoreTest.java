package dev.mnistlab.tracking;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {
  @TempDir Path dir;

  @Override
  String location() {
    return dir.resolve("sub/dir/mnistlab.db").toString();
  }
}
