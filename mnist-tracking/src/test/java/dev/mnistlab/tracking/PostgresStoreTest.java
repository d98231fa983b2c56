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
}
