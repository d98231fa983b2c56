package dev.mnistlab.tracking;

import dev.mnistlab.tracking.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on a real PostgreSQL server started for this class. */
class PostgresStoreTest extends StoreContract {
  static PostgresServer server;
  static String url;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start();
    url = server.createDatabase("mnistlab_test");
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Override
  String location() {
    return url;
  }

  @Override
  java.sql.Connection lockStore(String location) throws Exception {
    java.sql.Connection c = java.sql.DriverManager.getConnection(location);
    c.setAutoCommit(false);
    try (java.sql.Statement st = c.createStatement()) {
      st.execute("LOCK TABLE runs, history IN ACCESS EXCLUSIVE MODE");
    }
    return c;
  }
}
