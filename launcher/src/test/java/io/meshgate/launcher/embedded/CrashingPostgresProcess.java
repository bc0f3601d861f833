package io.meshgate.launcher.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A JVM for {@link EmbeddedPostgresServerIT} to kill: starts a server over {@code args[0]}, writes
 * a row, prints {@code READY} and waits to be killed without ever closing the server.
 */
final class CrashingPostgresProcess {

  private CrashingPostgresProcess() {}

  public static void main(String[] args) throws Exception {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), 0);
    server.createDatabaseIfAbsent("orders");
    try (Connection connection =
            DriverManager.getConnection(
                server.jdbcUrl("orders"), server.user(), server.password());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE customer_order (id bigint PRIMARY KEY, item text NOT NULL)");
      statement.execute("INSERT INTO customer_order VALUES (1, 'lamp')");
    }
    System.out.println(ChildJvm.READY);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
