package io.meshgate.product.cdc;

import java.util.Properties;
import org.postgresql.Driver;

/**
 * Connection facts of a product's Postgres database, as the capture needs them.
 *
 * @param host server host
 * @param port server port
 * @param database database name
 * @param user user with the REPLICATION attribute (or superuser)
 * @param password password
 */
public record PostgresSource(String host, int port, String database, String user, String password) {

  /** Parses a {@code jdbc:postgresql://host:port/database} URL. */
  public static PostgresSource fromJdbcUrl(String jdbcUrl, String user, String password) {
    Properties parsed = Driver.parseURL(jdbcUrl, null);
    if (parsed == null) {
      throw new IllegalArgumentException(
          "not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): " + jdbcUrl);
    }
    String host = parsed.getProperty("PGHOST", "localhost").split(",")[0];
    String port = parsed.getProperty("PGPORT", "5432").split(",")[0];
    String database = parsed.getProperty("PGDBNAME");
    if (database == null || database.isBlank()) {
      throw new IllegalArgumentException("JDBC URL names no database: " + jdbcUrl);
    }
    return new PostgresSource(host, Integer.parseInt(port), database, user, password);
  }
}
