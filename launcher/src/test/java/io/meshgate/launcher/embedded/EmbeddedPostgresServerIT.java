package io.meshgate.launcher.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.meshgate.product.api.ProductDefinition;
import io.meshgate.product.cdc.CaptureStatus;
import io.meshgate.product.cdc.PostgresChangeCapture;
import io.meshgate.product.cdc.PostgresSource;
import io.meshgate.product.cdc.ReplicationSlots;
import io.meshgate.product.publish.EventPublisher;
import io.meshgate.product.sales.SalesProduct;
import io.meshgate.runtime.deadletter.DeadLetter;
import io.meshgate.runtime.events.ChangeEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmbeddedPostgresServerIT {

  /** One server for the tests that do not restart it. */
  private static EmbeddedPostgresServer shared;

  @TempDir Path dataDirectory;

  @BeforeAll
  static void startSharedServer(@TempDir Path sharedDirectory) {
    shared = EmbeddedPostgresServer.start(sharedDirectory, 0);
  }

  @AfterAll
  static void stopSharedServer() {
    shared.close();
  }

  @Test
  void keepsRowsAndReplicationSlotsAcrossRestart() throws SQLException {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, 0)) {
      server.createDatabaseIfAbsent("orders");
      server.createDatabaseIfAbsent("orders");
      try (Connection connection = connect(server, "orders");
          Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE customer_order (id bigint PRIMARY KEY, item text NOT NULL)");
        statement.execute("INSERT INTO customer_order VALUES (1, 'lamp')");
        statement.execute("SELECT pg_create_logical_replication_slot('s1', 'pgoutput')");
      }
    }

    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, 0)) {
      server.createDatabaseIfAbsent("orders");
      try (Connection connection = connect(server, "orders")) {
        assertThat(query(connection, "SELECT id || ':' || item FROM customer_order"))
            .containsExactly("1:lamp");
        assertThat(
                query(
                    connection,
                    "SELECT slot_name || ':' || plugin || ':' || slot_type || ':' || database"
                        + " FROM pg_replication_slots"))
            .containsExactly("s1:pgoutput:logical:orders");
        assertThat(query(connection, "SHOW wal_level")).containsExactly("logical");
      }
    }
  }

  @Test
  void invalidatesASlotThatFallsFurtherBehindThanTheCapAndTheCaptureStopsNamingTheRecovery()
      throws Exception {
    ProductDefinition sales = SalesProduct.DEFINITION;
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, 0, "1MB")) {
      server.createDatabaseIfAbsent("sales");
      try (Connection connection = connect(server, "sales");
          Statement statement = connection.createStatement()) {
        assertThat(query(connection, "SHOW max_slot_wal_keep_size")).containsExactly("1MB");
        statement.execute(
            "SELECT pg_create_logical_replication_slot('" + sales.slotName() + "', 'pgoutput')");
        assertThat(ReplicationSlots.walStatus(connection, sales.slotName())).isEqualTo("reserved");
        statement.execute("CREATE TABLE filler (id bigint PRIMARY KEY)");
        // Nobody reads the slot (Kafka away): move the WAL several segments past it, then let a
        // checkpoint remove what the cap no longer keeps.
        for (int segment = 0; segment < 4; segment++) {
          statement.execute("INSERT INTO filler VALUES (" + segment + ")");
          statement.execute("SELECT pg_switch_wal()");
        }
        statement.execute("CHECKPOINT");
        assertThat(ReplicationSlots.walStatus(connection, sales.slotName()))
            .isEqualTo(ReplicationSlots.LOST);
        assertThat(ReplicationSlots.walStatus(connection, "absent")).isNull();
      }

      // The capture had offsets in that slot: it stops with the recovery instead of retrying.
      Path offsets =
          Files.createDirectories(dataDirectory.resolve("products").resolve("sales"))
              .resolve("capture-offsets.dat");
      Files.write(offsets, new byte[0]);
      PostgresSource source =
          PostgresSource.fromJdbcUrl(server.jdbcUrl("sales"), server.user(), server.password());
      try (PostgresChangeCapture capture =
          new PostgresChangeCapture(
              sales, source, offsets, new RefusingPublisher(), java.util.Map.of())) {
        capture.start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (capture.status().state() != CaptureStatus.State.FAILED
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        CaptureStatus status = capture.status();
        assertThat(status.state()).isEqualTo(CaptureStatus.State.FAILED);
        assertThat(status.lastError())
            .contains("replication slot " + sales.slotName() + " was invalidated")
            .contains("re-snapshot")
            .contains("delete " + offsets.toAbsolutePath());
      }
    }
  }

  /** The capture must stop before publishing anything. */
  private static final class RefusingPublisher implements EventPublisher {
    @Override
    public void publish(List<ChangeEvent> events) {
      throw new AssertionError("nothing may be published from an invalidated slot");
    }

    @Override
    public void deadLetter(DeadLetter letter) {
      throw new AssertionError("nothing may be published from an invalidated slot");
    }

    @Override
    public void close() {}
  }

  @Test
  void createsEachDatabaseOnce() throws SQLException {
    shared.createDatabaseIfAbsent("catalog");
    shared.createDatabaseIfAbsent("catalog");
    try (Connection connection = connect(shared, "postgres")) {
      assertThat(query(connection, "SELECT datname FROM pg_database WHERE datname = 'catalog'"))
          .containsExactly("catalog");
    }
  }

  @Test
  void isConfiguredForLogicalReplicationOnLoopbackOnly() throws SQLException {
    try (Connection connection = connect(shared, "postgres")) {
      assertThat(query(connection, "SHOW wal_level")).containsExactly("logical");
      assertThat(query(connection, "SHOW max_replication_slots")).containsExactly("20");
      assertThat(query(connection, "SHOW max_wal_senders")).containsExactly("20");
      assertThat(query(connection, "SHOW listen_addresses")).containsExactly("127.0.0.1");
      assertThat(query(connection, "SHOW unix_socket_directories")).containsExactly("");
      assertThat(query(connection, "SHOW fsync")).containsExactly("on");
      assertThat(query(connection, "SHOW synchronous_commit")).containsExactly("on");
      assertThat(query(connection, "SHOW max_slot_wal_keep_size")).containsExactly("1GB");
    }
    assertThat(shared.jdbcUrl("orders"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:" + shared.port() + "/orders");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Orders",
        "1orders",
        "_orders",
        "order-items",
        "orders; DROP DATABASE postgres",
        "\"orders\"",
        "ordérs",
        "a_name_that_is_far_too_long_for_postgresql_which_truncates_at_63"
      })
  void rejectsAnInvalidDatabaseName(String name) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> shared.createDatabaseIfAbsent(name))
        .withMessageContaining("Invalid database name '" + name + "'");
    assertThatIllegalArgumentException().isThrownBy(() -> shared.jdbcUrl(name));
  }

  @Test
  void recoversFromAJvmKilledWhileTheServerRan() throws Exception {
    long orphanPid;
    try (ChildJvm crashing =
        ChildJvm.start(CrashingPostgresProcess.class, dataDirectory.toString())) {
      crashing.awaitReady();
      orphanPid =
          Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).getFirst());
      crashing.kill();
    }
    try {
      assertThat(isAlive(orphanPid)).as("postmaster outlives its killed JVM").isTrue();

      try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, 0);
          Connection connection = connect(server, "orders")) {
        assertThat(query(connection, "SELECT item FROM customer_order")).containsExactly("lamp");
      }
      assertThat(isAlive(orphanPid)).isFalse();
    } finally {
      ProcessHandle.of(orphanPid).ifPresent(ProcessHandle::destroy);
    }
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void startsDespiteAPidFileNamingAnotherLiveProgram() throws Exception {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, 0)) {
      server.createDatabaseIfAbsent("orders");
    }
    // After a reboot or in a container the old postmaster's pid may belong to anything; PostgreSQL
    // would refuse to start (this JVM's own pid would not do: PostgreSQL ignores its ancestors).
    Process unrelated = new ProcessBuilder("sleep", "300").start();
    try {
      Files.writeString(dataDirectory.resolve("postmaster.pid"), unrelated.pid() + "\n");

      try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, 0);
          Connection connection = connect(server, "orders")) {
        assertThat(query(connection, "SELECT current_database()")).containsExactly("orders");
      }
      assertThat(unrelated.isAlive()).as("the unrelated program is left alone").isTrue();
    } finally {
      unrelated.destroyForcibly();
    }
  }

  @Test
  void refusesADataDirectoryInUseByAnotherServer() {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, 0)) {
      assertThatIllegalStateException()
          .isThrownBy(() -> EmbeddedPostgresServer.start(dataDirectory, 0))
          .withMessageContaining("is in use by another running server");
      assertThat(server.port()).isPositive();
    }
  }

  private static Connection connect(EmbeddedPostgresServer server, String database)
      throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(database), server.user(), server.password());
  }

  private static List<String> query(Connection connection, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
