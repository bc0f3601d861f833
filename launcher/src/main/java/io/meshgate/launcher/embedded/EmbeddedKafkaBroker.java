package io.meshgate.launcher.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster (KRaft, broker and controller in one node) running inside this JVM
 * over a persistent log directory, reachable on {@code 127.0.0.1} only.
 *
 * <p>The log directory is formatted on first start only, with a new cluster id that Kafka records
 * in {@code meta.properties}; later starts reuse it, so topics, messages and consumer-group offsets
 * survive a restart. The controller quorum is static ({@code controller.quorum.voters}, {@code
 * kraft.version} 0): the voter's address is configuration, not data, so the ports may change from
 * one start to the next.
 *
 * <p>Kafka's own fault handling applies: a fatal metadata fault halts the JVM, as it would halt a
 * standalone broker.
 *
 * <p>Instances are thread-safe.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private static final String HOST = LoopbackPorts.HOST;
  private static final int NODE_ID = 1;
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  /** A subdirectory, because Kafka takes every directory in a log directory for a partition. */
  private static final String LOG_DIRECTORY_NAME = "kraft-combined-logs";

  private static final String LOCK_FILE_NAME = "broker.lock";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  /** A port picked free here can be taken by another process before Kafka binds it. */
  private static final int MAX_BIND_ATTEMPTS = 3;

  /**
   * Kafka allocates the log cleaner's dedupe buffer eagerly (128 MiB by default) on the heap it
   * shares with the whole launcher; 16 MiB still compacts millions of keys per pass.
   */
  private static final long LOG_CLEANER_DEDUPE_BUFFER_BYTES = 16L * 1024 * 1024;

  private final KafkaRaftServer server;
  private final DirectoryLock lock;
  private final Path logDirectory;
  private final String clusterId;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafkaBroker(
      KafkaRaftServer server, DirectoryLock lock, Path logDirectory, String clusterId, int port) {
    this.server = server;
    this.lock = lock;
    this.logDirectory = logDirectory;
    this.clusterId = clusterId;
    this.port = port;
  }

  /**
   * Starts a broker over {@code dataDirectory}, formatting it first if it was never formatted, and
   * returns once the broker serves clients.
   *
   * @param dataDirectory where the broker keeps its logs; created if missing
   * @param port the client (PLAINTEXT) port on {@code 127.0.0.1}, or 0 to pick a free one; the
   *     controller listener always gets a free port of its own
   * @throws IllegalStateException if the port is taken, the directory is used by another broker or
   *     cannot be formatted, or the broker does not serve within 90 s
   * @throws UncheckedIOException if the data directory cannot be read or written
   */
  public static EmbeddedKafkaBroker start(Path dataDirectory, int port) {
    requireNonNull(dataDirectory, "dataDirectory");
    LoopbackPorts.requireValid(port);
    if (port != 0) {
      LoopbackPorts.requireFree(port, "Embedded Kafka");
    }
    long startedAt = System.nanoTime();
    long deadline = startedAt + STARTUP_TIMEOUT.toNanos();
    Path directory = dataDirectory.toAbsolutePath().normalize();
    Path logDirectory = directory.resolve(LOG_DIRECTORY_NAME);
    DirectoryLock lock = lock(directory);
    try {
      String clusterId = formatIfNeeded(logDirectory);
      for (int attempt = 1; ; attempt++) {
        int brokerPort = port == 0 ? LoopbackPorts.pickFree() : port;
        int controllerPort = LoopbackPorts.pickFree();
        try {
          KafkaRaftServer server = startServer(logDirectory, brokerPort, controllerPort, deadline);
          log.info(
              "Embedded Kafka broker listening on {}:{} (cluster {}) with log directory {}"
                  + " (started in {} ms)",
              HOST,
              brokerPort,
              clusterId,
              logDirectory,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
          return new EmbeddedKafkaBroker(server, lock, logDirectory, clusterId, brokerPort);
        } catch (RuntimeException e) {
          if (!isBindFailure(e) || attempt == MAX_BIND_ATTEMPTS) {
            throw new IllegalStateException(
                "Embedded Kafka broker could not start on "
                    + HOST
                    + ":"
                    + brokerPort
                    + " over "
                    + logDirectory
                    + ": "
                    + e.getMessage(),
                e);
          }
          log.debug(
              "Port {} or {} was taken before Kafka bound it; retrying",
              brokerPort,
              controllerPort,
              e);
        }
      }
    } catch (RuntimeException | Error e) {
      lock.close();
      throw e;
    }
  }

  /**
   * Kafka locks its log directory only when the broker starts, after the controller has already
   * opened the metadata log in it; a second broker over the same directory would write to that log
   * before failing. This lock is taken before anything is opened.
   */
  private static DirectoryLock lock(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create Kafka data directory " + directory, e);
    }
    return DirectoryLock.acquire(
        directory.resolve(LOCK_FILE_NAME), "Kafka data directory " + directory);
  }

  private static KafkaRaftServer startServer(
      Path logDirectory, int brokerPort, int controllerPort, long deadline) {
    KafkaConfig config =
        new KafkaConfig(
            serverProperties(logDirectory, brokerPort, controllerPort, deadline), false);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      // Returns once the broker has caught up with the metadata log and been unfenced, or fails
      // after server.max.startup.time.ms.
      server.startup();
      String bootstrapServers = HOST + ":" + brokerPort;
      awaitServing(bootstrapServers, deadline);
      return server;
    } catch (RuntimeException | Error e) {
      shutDown(server);
      throw e;
    }
  }

  private static Map<String, Object> serverProperties(
      Path logDirectory, int brokerPort, int controllerPort, long deadline) {
    // Public configuration names rather than Kafka's internal constant classes, which move between
    // releases.
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("process.roles", "broker,controller");
    properties.put("node.id", Integer.toString(NODE_ID));
    properties.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    properties.put("controller.listener.names", CONTROLLER_LISTENER);
    properties.put(
        "listeners",
        BROKER_LISTENER
            + "://"
            + HOST
            + ":"
            + brokerPort
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + HOST
            + ":"
            + controllerPort);
    properties.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
    properties.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    properties.put("inter.broker.listener.name", BROKER_LISTENER);
    properties.put("log.dirs", logDirectory.toString());
    properties.put("metadata.log.dir", logDirectory.toString());

    // One node: every replication factor and ISR minimum must be 1 or internal topics never appear.
    properties.put("offsets.topic.replication.factor", "1");
    properties.put("transaction.state.log.replication.factor", "1");
    properties.put("transaction.state.log.min.isr", "1");
    properties.put("share.coordinator.state.topic.replication.factor", "1");
    properties.put("share.coordinator.state.topic.min.isr", "1");
    properties.put("default.replication.factor", "1");
    properties.put("min.insync.replicas", "1");
    properties.put("num.partitions", "1");
    properties.put("auto.create.topics.enable", "false");
    // Nobody else will join the group within the default 3 s, so do not wait for them.
    properties.put("group.initial.rebalance.delay.ms", "0");
    properties.put(
        "log.cleaner.dedupe.buffer.size", Long.toString(LOG_CLEANER_DEDUPE_BUFFER_BYTES));
    // The default is forever: a broker that cannot reach its controller would hang start().
    properties.put("server.max.startup.time.ms", Long.toString(remainingMillis(deadline)));
    return properties;
  }

  /**
   * Formats {@code logDirectory} unless it holds {@code meta.properties}; returns the cluster id.
   */
  private static String formatIfNeeded(Path logDirectory) {
    try {
      if (Files.exists(logDirectory.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
        return storedClusterId(logDirectory);
      }
      Files.createDirectories(logDirectory);
      String clusterId = Uuid.randomUuid().toString();
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      // What `kafka-storage.sh format --cluster-id <id> --config <this config>` runs.
      // meta.properties
      // is written last, so a format interrupted half-way is simply redone on the next start.
      new Formatter()
          .setPrintStream(new PrintStream(output, true, UTF_8))
          .setNodeId(NODE_ID)
          .setClusterId(clusterId)
          .addDirectory(logDirectory.toString())
          .setMetadataLogDirectory(logDirectory.toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .run();
      log.info("Formatted Kafka log directory {} for new cluster {}", logDirectory, clusterId);
      log.debug("Kafka storage formatter said:\n{}", output.toString(UTF_8));
      return clusterId;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not format Kafka log directory " + logDirectory, e);
    } catch (Exception e) {
      throw new IllegalStateException("Could not format Kafka log directory " + logDirectory, e);
    }
  }

  private static String storedClusterId(Path logDirectory) throws IOException {
    MetaPropertiesEnsemble stored =
        new MetaPropertiesEnsemble.Loader()
            .addLogDirs(List.of(logDirectory.toString()))
            .addMetadataLogDir(logDirectory.toString())
            .load();
    return stored
        .clusterId()
        .orElseThrow(
            () -> new IllegalStateException(logDirectory + "/meta.properties has no cluster.id"));
  }

  /** Proves the broker answers clients, not only that its threads started. */
  private static void awaitServing(String bootstrapServers, long deadline) {
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.CLIENT_ID_CONFIG,
            "embedded-kafka-readiness");
    try (Admin admin = Admin.create(config)) {
      int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, remainingMillis(deadline));
      Collection<Node> nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMillis))
              .nodes()
              .get(timeoutMillis, TimeUnit.MILLISECONDS);
      if (nodes.stream().noneMatch(node -> node.id() == NODE_ID)) {
        throw new IllegalStateException(
            "Embedded Kafka broker at " + bootstrapServers + " does not list itself: " + nodes);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Embedded Kafka broker at "
              + bootstrapServers
              + " did not answer within "
              + STARTUP_TIMEOUT.toSeconds()
              + " s of starting",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for embedded Kafka", e);
    }
  }

  /** The {@code bootstrap.servers} value for clients of this broker. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** The client (PLAINTEXT) port on {@code 127.0.0.1}. */
  public int port() {
    return port;
  }

  /** The cluster id, stable across restarts over the same data directory. */
  public String clusterId() {
    return clusterId;
  }

  /** The directory Kafka keeps its logs and metadata in, inside the data directory. */
  public Path logDirectory() {
    return logDirectory;
  }

  /**
   * Shuts the broker down (a controlled shutdown, so the next start needs no log recovery) and
   * waits until its threads have stopped. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long startedAt = System.nanoTime();
    try {
      shutDown(server);
    } finally {
      lock.close();
    }
    log.info(
        "Embedded Kafka broker on {} stopped in {} ms",
        bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
  }

  private static void shutDown(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  @Override
  public String toString() {
    return "EmbeddedKafkaBroker["
        + bootstrapServers()
        + ", cluster "
        + clusterId
        + ", "
        + logDirectory
        + "]";
  }

  private static boolean isBindFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private static long remainingMillis(long deadline) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }
}
