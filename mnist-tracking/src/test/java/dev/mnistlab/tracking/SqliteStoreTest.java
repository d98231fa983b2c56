package dev.mnistlab.tracking;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {
  @TempDir Path dir;

  @Override
  String location() {
    return dir.resolve("sub/dir/mnistlab.db").toString();
  }

  @Override
  java.sql.Connection lockStore(String location) throws Exception {
    java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + location);
    c.setAutoCommit(false);
    try (java.sql.Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = 10000");
      // sqlite-jdbc has begun a deferred transaction; a write takes the lock until rollback
      st.executeUpdate("UPDATE runs SET notes = notes WHERE 1 = 1");
    }
    return c;
  }
}
