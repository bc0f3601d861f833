package io.meshgate.audit.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Creates or upgrades the audit log's tables from the versioned scripts in {@code schema/}. */
public final class AuditSchema {

  /** Classpath location of the audit log's DDL (Flyway layout). */
  public static final String SQL_LOCATION = "classpath:meshgate/audit/sql";

  private AuditSchema() {}

  /** Applies every script not yet applied; safe to call on every start. */
  public static void migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations(SQL_LOCATION)
        .defaultSchema("audit")
        .table("meshgate_schema_history")
        .load()
        .migrate();
  }
}
