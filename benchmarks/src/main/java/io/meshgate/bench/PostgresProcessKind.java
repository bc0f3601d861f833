package io.meshgate.bench;

/**
 * What a process of the embedded Postgres server does, from the title it sets in its command line:
 * {@code postgres: walwriter}, {@code postgres: postgres sales 127.0.0.1(59254) idle} (a client
 * backend of database {@code sales}), {@code postgres: walsender postgres sales 127.0.0.1(59386)
 * START_REPLICATION} (the capture's logical decoding of database {@code sales}).
 */
final class PostgresProcessKind {

  private static final String PREFIX = "postgres: ";

  private PostgresProcessKind() {}

  /**
   * The kind of process whose command line is {@code title}, naming the database where it has one.
   */
  static String of(String title) {
    if (!title.startsWith(PREFIX)) {
      return "postmaster";
    }
    String rest = title.substring(PREFIX.length()).trim();
    String[] words = rest.split(" +");
    if (words[0].equals("walsender")) {
      // walsender, user, database (a logical one), where it connects from, what it does.
      return words.length > 3
          ? "walsender " + words[2] + " (logical decoding)"
          : "walsender (logical decoding)";
    }
    // A client backend: user, database, then where it connects from, 127.0.0.1(59254) or [local].
    if (words.length > 2 && (words[2].contains("(") || words[2].equals("[local]"))) {
      return "client backends " + words[1];
    }
    return rest.replaceAll("\\d+", "N");
  }
}
