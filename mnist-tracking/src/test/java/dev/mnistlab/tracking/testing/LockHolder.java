package dev.mnistlab.tracking.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A child process for lock tests: opens a SQLite file with sqlite-jdbc, takes {@code BEGIN
 * EXCLUSIVE}, prints {@code LOCKED}, holds the lock for the given milliseconds, commits, prints
 * {@code RELEASED} and exits. Args: database path, hold time in milliseconds.
 */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = 10000");
      st.execute("BEGIN EXCLUSIVE");
      System.out.println("LOCKED");
      System.out.flush();
      Thread.sleep(Long.parseLong(args[1]));
      st.execute("COMMIT");
    }
    System.out.println("RELEASED");
    System.out.flush();
  }
}
