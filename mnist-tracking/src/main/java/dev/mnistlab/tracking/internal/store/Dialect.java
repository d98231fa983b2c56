package dev.mnistlab.tracking.internal.store;

/** The SQL differences between the two supported databases; everything else is shared SQL. */
public enum Dialect {
  /** SQLite through xerial sqlite-jdbc: a single file, WAL journal. */
  SQLITE("BLOB"),
  /** PostgreSQL through pgjdbc. */
  POSTGRESQL("BYTEA");

  private final String blobType;

  Dialect(String blobType) {
    this.blobType = blobType;
  }

  /** The column type for binary data. */
  public String blobType() {
    return blobType;
  }

  /** Chooses the dialect from a JDBC URL. */
  public static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException("unsupported store URL (expected a file path, jdbc:sqlite: or "
        + "jdbc:postgresql:): " + redact(jdbcUrl));
  }

  /** A JDBC URL with any password parameter hidden, for messages. */
  public static String redact(String jdbcUrl) {
    return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***")
        .replaceAll("(//[^/:@]*:)[^@/]*@", "$1***@");
  }
}
