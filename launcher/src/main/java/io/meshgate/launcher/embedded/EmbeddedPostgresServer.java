package io.meshgate.launcher.embedded;

import static java.util.Objects.requireNonNull;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run as a child process of this JVM over a persistent data directory,
 * configured for logical decoding ({@code pgoutput}) and reachable on {@code 127.0.0.1} only.
 *
 * <p>The data directory is initialised on first start and reused afterwards, so databases, rows and
 * replication slots survive a restart. A server left running by a JVM that was killed is stopped
 * before the new one starts.
 *
 * <p>Connections are authenticated with {@code trust} (zonky's {@code initdb -A trust}): any local
 * process can connect as {@link #user()}, and {@link #password()} is accepted but not checked. That
 * is why the server never listens beyond the loopback interface.
 *
 * <p>Instances are thread-safe.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private static final String HOST = LoopbackPorts.HOST;
  private static final String SUPERUSER = "postgres";
  private static final String PASSWORD = "postgres";

  /** Lower-case names need no quoting in SQL, JDBC URLs or connector configurations. */
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /**
   * PostgreSQL silently truncates longer identifiers (NAMEDATALEN - 1), so a longer name would be
   * created under another name and never be found again.
   */
  private static final int MAX_DATABASE_NAME_LENGTH = 63;

  private static final String DUPLICATE_DATABASE = "42P04";

  /**
   * The first start unpacks the binaries and runs initdb; a slow disk needs more than zonky's 10 s.
   */
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private static final Duration ORPHAN_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

  /** zonky creates and locks this file in the data directory while its server runs. */
  private static final String ZONKY_LOCK_FILE = "epg-lock";

  private static final String POSTMASTER_PID_FILE = "postmaster.pid";

  private static final int MAX_REPLICATION_SLOTS = 20;

  private static final int MAX_WAL_SENDERS = 20;

  /**
   * Default cap on the WAL a replication slot may hold back: a capture that falls this far behind
   * (Kafka away for long) has its slot invalidated instead of filling the disk.
   */
  public static final String DEFAULT_MAX_SLOT_WAL_KEEP_SIZE = "1GB";

  /** A size as PostgreSQL reads it (kB, MB, GB, TB; no unit is megabytes), or -1 for no cap. */
  private static final Pattern WAL_SIZE = Pattern.compile("-1|[0-9]+(kB|MB|GB|TB)?");

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts a server over {@code dataDirectory}, initialising it if it holds no cluster yet, and
   * returns once it accepts connections.
   *
   * @param dataDirectory where the cluster lives; created if missing
   * @param port the TCP port on {@code 127.0.0.1}, or 0 to pick a free one
   * @throws IllegalStateException if the port is taken, another server uses the directory, or one
   *     left by a crashed run does not stop
   * @throws UncheckedIOException if the server cannot be initialised or started
   */
  public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
    return start(dataDirectory, port, DEFAULT_MAX_SLOT_WAL_KEEP_SIZE);
  }

  /**
   * As {@link #start(Path, int)}, with the cap on the WAL each replication slot may hold back.
   *
   * @param maxSlotWalKeepSize PostgreSQL's {@code max_slot_wal_keep_size}, e.g. {@code 1GB}, or
   *     {@code -1} for no cap
   * @throws IllegalArgumentException if {@code maxSlotWalKeepSize} is not a size
   */
  public static EmbeddedPostgresServer start(
      Path dataDirectory, int port, String maxSlotWalKeepSize) {
    requireNonNull(dataDirectory, "dataDirectory");
    requireWalSize(maxSlotWalKeepSize);
    LoopbackPorts.requireValid(port);
    if (port != 0) {
      // zonky would wait out its startup timeout, or take whatever answers there for its server.
      LoopbackPorts.requireFree(port, "Embedded PostgreSQL");
    }
    Path directory = dataDirectory.toAbsolutePath().normalize();
    long startedAt = System.nanoTime();
    try {
      Files.createDirectories(directory);
      recoverFromCrashedRun(directory);
      EmbeddedPostgres postgres = builder(directory, port, maxSlotWalKeepSize).start();
      log.info(
          "Embedded PostgreSQL listening on {}:{} with data directory {} (started in {} ms)",
          HOST,
          postgres.getPort(),
          directory,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
      return new EmbeddedPostgresServer(postgres, directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start embedded PostgreSQL in " + directory, e);
    }
  }

  /**
   * @throws IllegalArgumentException if {@code size} is not a size PostgreSQL reads
   */
  public static String requireWalSize(String size) {
    if (!WAL_SIZE.matcher(size).matches()) {
      throw new IllegalArgumentException(
          "max_slot_wal_keep_size must be a size such as 512MB or 1GB (kB, MB, GB, TB), or -1 for"
              + " no cap, not '"
              + size
              + "'");
    }
    return size;
  }

  private static EmbeddedPostgres.Builder builder(
      Path directory, int port, String maxSlotWalKeepSize) {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(directory)
            .setCleanDataDirectory(false)
            .setPGStartupWait(STARTUP_TIMEOUT)
            .setServerConfig("listen_addresses", HOST)
            // No Unix socket either: loopback TCP is the only way in.
            .setServerConfig("unix_socket_directories", "")
            .setServerConfig("wal_level", "logical")
            .setServerConfig("max_replication_slots", Integer.toString(MAX_REPLICATION_SLOTS))
            .setServerConfig("max_wal_senders", Integer.toString(MAX_WAL_SENDERS))
            // A slot whose capture is far behind (Kafka away) holds at most this much WAL, then is
            // invalidated; the capture reports that with the recovery (a new snapshot).
            .setServerConfig("max_slot_wal_keep_size", maxSlotWalKeepSize)
            // zonky tunes for throwaway test databases (pg_ctl -F, synchronous_commit=off); this
            // data
            // must outlive a power cut, so restore PostgreSQL's durable defaults. Later -c wins.
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on");
    if (port != 0) {
      builder.setPort(port);
    }
    return builder;
  }

  /** The TCP port the server listens on at {@code 127.0.0.1}. */
  public int port() {
    return postgres.getPort();
  }

  /** The superuser name to connect with. */
  public String user() {
    return SUPERUSER;
  }

  /** A password for {@link #user()}; accepted but not checked, see the class documentation. */
  public String password() {
    return PASSWORD;
  }

  /** The data directory this server runs over, as an absolute path. */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /**
   * The JDBC URL of {@code database} on this server, without credentials.
   *
   * @throws IllegalArgumentException if {@code database} is not a valid database name
   */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + HOST + ":" + port() + "/" + requireValidDatabaseName(database);
  }

  /**
   * Creates database {@code name} unless it exists; safe to call concurrently and repeatedly.
   *
   * @param name a name matching {@code ^[a-z][a-z0-9_]*$}, at most 63 characters
   * @throws IllegalArgumentException if {@code name} is not a valid database name
   * @throws IllegalStateException if the server cannot be reached or refuses to create it
   */
  public void createDatabaseIfAbsent(String name) {
    String database = requireValidDatabaseName(name);
    try (Connection connection =
        DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, PASSWORD)) {
      if (databaseExists(connection, database)) {
        return;
      }
      try (Statement statement = connection.createStatement()) {
        // CREATE DATABASE takes no bind parameters; the name was validated above.
        statement.execute("CREATE DATABASE " + database);
        log.info("Created database {} on embedded PostgreSQL port {}", database, port());
      } catch (SQLException e) {
        if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
          throw e;
        }
        // Another caller created it between our check and our CREATE: the outcome is the same.
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not create database " + database + " on embedded PostgreSQL port " + port(), e);
    }
  }

  private static boolean databaseExists(Connection connection, String database)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      query.setString(1, database);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static String requireValidDatabaseName(String name) {
    requireNonNull(name, "database name");
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Invalid database name '"
              + name
              + "': use a lower-case letter followed by lower-case letters, digits or '_'"
              + " (^[a-z][a-z0-9_]*$)");
    }
    if (name.length() > MAX_DATABASE_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "Invalid database name '"
              + name
              + "': longer than PostgreSQL's limit of "
              + MAX_DATABASE_NAME_LENGTH
              + " characters");
    }
    return name;
  }

  /** Stops the server (fast shutdown: open sessions are disconnected). Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      postgres.close();
      log.info("Embedded PostgreSQL on port {} stopped", port());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not stop embedded PostgreSQL on port " + port(), e);
    }
  }

  @Override
  public String toString() {
    return "EmbeddedPostgresServer[" + HOST + ":" + port() + ", " + dataDirectory + "]";
  }

  // --- Recovery from a crashed run -----------------------------------------------------------

  /**
   * Makes a data directory left behind by a killed JVM startable again.
   *
   * <p>zonky stops its server from a shutdown hook, which a killed JVM never runs; the postmaster
   * then keeps running, orphaned, and a new one refuses the directory ("lock file postmaster.pid
   * already exists"). A {@code postmaster.pid} naming a live process that is not PostgreSQL (its
   * pid was reused after a reboot or in a container) blocks startup the same way. zonky's own lock
   * tells a live server of another launcher apart from such leftovers, so this never touches a
   * server that is still in use.
   */
  private static void recoverFromCrashedRun(Path directory) throws IOException {
    if (!Files.exists(directory.resolve("postgresql.conf"))) {
      return; // not initialised yet: nothing can be left over, and initdb needs the directory empty
    }
    requireNotInUse(directory);
    Path pidFile = directory.resolve(POSTMASTER_PID_FILE);
    OptionalLong pid = readPostmasterPid(pidFile);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> holder =
        ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive);
    if (holder.isEmpty()) {
      return; // PostgreSQL itself replaces a lock file whose process is gone
    }
    Optional<String> command = holder.get().info().command();
    if (command.isEmpty()) {
      log.warn(
          "{} names live process {} that cannot be inspected; leaving it to PostgreSQL to decide",
          pidFile,
          pid.getAsLong());
    } else if (isPostgres(command.get())) {
      stopOrphanedPostmaster(holder.get(), directory);
    } else {
      log.warn(
          "Removing stale {}: its pid {} now belongs to another program ({})",
          pidFile,
          pid.getAsLong(),
          command.get());
      Files.deleteIfExists(pidFile);
    }
  }

  private static void requireNotInUse(Path directory) {
    // Taken and released at once: zonky takes it again for as long as its server runs.
    DirectoryLock.acquire(
            directory.resolve(ZONKY_LOCK_FILE), "PostgreSQL data directory " + directory)
        .close();
  }

  private static OptionalLong readPostmasterPid(Path pidFile) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(pidFile);
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
    if (lines.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(lines.getFirst().strip()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty(); // a torn write; PostgreSQL rewrites it
    }
  }

  private static boolean isPostgres(String command) {
    String program = Path.of(command).getFileName().toString();
    return program.equals("postgres") || program.equals("postgres.exe");
  }

  private static void stopOrphanedPostmaster(ProcessHandle postmaster, Path directory) {
    log.warn(
        "PostgreSQL (pid {}) from an earlier run is still running on {}; stopping it",
        postmaster.pid(),
        directory);
    // SIGTERM is a "smart" shutdown: it waits for sessions, but the sessions of a dead JVM are
    // gone.
    postmaster.destroy();
    try {
      postmaster.onExit().get(ORPHAN_SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException(
          "PostgreSQL (pid "
              + postmaster.pid()
              + ") left running on "
              + directory
              + " by an earlier run did not stop within "
              + ORPHAN_SHUTDOWN_TIMEOUT.toSeconds()
              + " s; stop it and start again",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping an orphaned PostgreSQL", e);
    }
  }
}
