package io.meshgate.bench;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which part of the mesh a thread of the benchmark's JVM works for, read from its name. The names
 * follow the conventions of docs/architecture.md ("Threads"), so this class reads them rather than
 * guesses. A thread a library makes with a default name ({@code pool-3-thread-1}, {@code Thread-6})
 * is attributed by its thread group where the part that runs the library gives its thread one (the
 * capture, for Debezium's engine); whatever has neither is "other JVM threads", listed under its
 * own name, so it shows rather than hides.
 *
 * <p>The JVM's own threads (GC, JIT compilers, the VM thread) are invisible to Java; their names
 * are those Linux lists in {@code /proc/self/task/<tid>/comm}, cut at 15 characters ({@code C2
 * CompilerThre}).
 */
final class ThreadParts {

  /** What a thread works for: an owner (a product, the gateway, the JVM, ...) and a part of it. */
  record Part(String owner, String name) {
    String label() {
      return owner + ": " + name;
    }
  }

  static final String JVM = "JVM";
  static final String GATEWAY = "gateway";
  static final String CATALOG = "catalog";
  static final String AUDIT = "audit log";
  static final String BROKER = "Kafka broker";
  static final String HARNESS = "harness";
  static final String SHARED = "shared";
  static final String OTHER = "other";

  static final Part GC = new Part(JVM, "GC (collector threads)");
  static final Part JIT = new Part(JVM, "JIT compilers (C1, C2)");
  static final Part JVM_RUNTIME =
      new Part(JVM, "runtime (VM thread: safepoints; service, reference and signal threads)");
  static final Part OTHER_THREADS = new Part(OTHER, "other JVM threads");

  private static final Part VIRTUAL_THREADS =
      new Part(
          GATEWAY,
          "virtual threads: requests, plans, subgraph fetches (measured on the carrier threads,"
              + " ForkJoinPool-N-worker-N, as Java sees no virtual thread's CPU; no other part"
              + " starts virtual threads)");
  private static final Part JDK_HTTP_CLIENTS =
      new Part(
          SHARED,
          "JDK HttpClient threads the JDK numbers (the harness's clients and subgraph"
              + " introspection)");
  private static final Part TOMCAT_IO =
      new Part(SHARED, "Tomcat pollers, acceptors and utility threads (every subgraph)");
  private static final Part TOMCAT_UNNAMED =
      new Part(SHARED, "Tomcat request threads without a subgraph's name");
  private static final Part CATALOG_CONSUMER = new Part(CATALOG, "consumer and indexing");
  private static final Part AUDIT_CONSUMER =
      new Part(AUDIT, "consumer (every product's changes into the hash chains)");
  private static final Part AUDIT_BACKGROUND =
      new Part(AUDIT, "tree heads, Merkle roots, verification, topic watcher");

  /** The audit log's consumer group; its other Kafka clients' ids start with it. */
  private static final String AUDIT_GROUP = "audit-store";

  private static final String PRODUCT = "[a-z][a-z0-9]*";
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  /** A Kafka Streams thread or client id: the application id, the instance's UUID, a role. */
  private static final Pattern STREAMS = Pattern.compile("(.+)-" + UUID + "-.+");

  /** The network, heartbeat and admin threads of Kafka clients end with the client or group id. */
  private static final Pattern KAFKA_CLIENT =
      Pattern.compile(
          "kafka-(producer-network|coordinator-heartbeat|admin-client)-thread \\| (.+)");

  /** Debezium names its threads after the connector's topic prefix, {@code meshgate.<product>}. */
  private static final Pattern DEBEZIUM =
      Pattern.compile("debezium-[a-z]+-meshgate\\.(" + PRODUCT + ")-.+");

  /** A consumer group's thread ({@code TopicConsumer}): {@code meshgate-sales.read-model}. */
  private static final Pattern CONSUMER = Pattern.compile("meshgate-((" + PRODUCT + ")\\..+)");

  /**
   * Threads named for a product, the catalog or the audit log: {@code meshgate-sales-capture},
   * {@code meshgate-sales-http-3}, {@code meshgate-audit-db:housekeeper}.
   */
  private static final Pattern OWNED =
      Pattern.compile(
          "meshgate-(" + PRODUCT + ")-(capture|catalog|http-\\d+|operation-deadline|db:.+)");

  private static final Pattern CAPTURE_GROUP =
      Pattern.compile("meshgate-(" + PRODUCT + ")-capture");
  private static final Pattern PUBLISHER = Pattern.compile("meshgate-(" + PRODUCT + ")-publisher");
  private static final Pattern CATALOG_PUBLISHER = Pattern.compile("(" + PRODUCT + ")\\.catalog");

  /** A consumer group or Streams application id: the product, a dot, its name. */
  private static final Pattern PRODUCT_ID = Pattern.compile("(" + PRODUCT + ")\\..+");

  /** The carrier threads of virtual threads: the workers of the JDK's default scheduler. */
  private static final Pattern CARRIER = Pattern.compile("ForkJoinPool-\\d+-worker-\\d+");

  private static final Pattern JDK_HTTP_CLIENT =
      Pattern.compile("HttpClient-\\d+-(SelectorManager|Worker-\\d+)");
  private static final Pattern TOMCAT_REQUESTS = Pattern.compile("http-nio-.+-exec-\\d+");
  private static final Pattern TOMCAT_SHARED =
      Pattern.compile("http-nio-.+|Catalina-utility-\\d+|container-\\d+");

  private static final Pattern GC_THREAD =
      Pattern.compile(
          "GC Thread#\\d+|G1 .+|Z(Director|Driver|Worker|Stat|Unmapper|Uncommitter).*"
              + "|Shenandoah.*");
  private static final Pattern JIT_THREAD = Pattern.compile("C[12] CompilerThre.*|JVMCI.*");

  /** The JVM's runtime threads Java does not list; {@code /proc} cuts their names at 15. */
  private static final Set<String> HIDDEN_RUNTIME =
      Set.of("VM Thread", "VM Periodic Tas", "Service Thread", "Monitor Deflati");

  private static final Set<String> RUNTIME =
      Set.of(
          "VM Thread",
          "VM Periodic Tas",
          "VM Periodic Task Thread",
          "Service Thread",
          "Monitor Deflati",
          "Monitor Deflation Thread",
          "Reference Handler",
          "Finalizer",
          "Signal Dispatcher",
          "Notification Thread",
          "Common-Cleaner",
          "Attach Listener");

  private static final Pattern BROKER_REQUESTS =
      Pattern.compile("data-plane-kafka-request-handler-\\d+");
  private static final Pattern BROKER_NETWORK =
      Pattern.compile("data-plane-kafka-(network-thread|socket-acceptor)-.+");
  private static final Pattern BROKER_KRAFT =
      Pattern.compile(
          "kafka-\\d+-(raft|metadata-loader|snapshot-generator).*|quorum-controller-.+"
              + "|(broker|controller)-\\d+-(?!ThrottledChannelReaper).+|raft-expiration-reaper");
  private static final Pattern BROKER_COORDINATORS =
      Pattern.compile(
          "(group|share)-coordinator-.+|executor-group-coordinator|transaction-log-manager-\\d+"
              + "|TxnMarkerSenderThread-\\d+|AddPartitionsToTxnSenderThread-\\d+"
              + "|share-group-lock-timeout-reaper|PersisterStateManager"
              + "|persister-state-manager-reaper");
  private static final Pattern BROKER_HOUSEKEEPING =
      Pattern.compile(
          "kafka-scheduler-\\d+|kafka-log-cleaner-thread-\\d+|ExpirationReaper-.+|executor-.+"
              + "|(broker|controller)-\\d+-ThrottledChannelReaper-.+|metrics-meter-tick-thread-\\d+"
              + "|SensorExpiryThread|LogDirFailureHandler|client-metrics-reaper"
              + "|network-partition-metadata-client-reaper");

  private final Set<String> streamsApplications;

  /**
   * @param streamsApplications the application ids of the JVM's Kafka Streams instances ({@link
   *     #streamsApplications(Collection)}): a Streams application's consumer group is named by that
   *     id alone, like any consumer group
   */
  ThreadParts(Set<String> streamsApplications) {
    this.streamsApplications = Set.copyOf(streamsApplications);
  }

  /** The application ids of the Kafka Streams threads among {@code threadNames}. */
  static Set<String> streamsApplications(Collection<String> threadNames) {
    Set<String> applications = new LinkedHashSet<>();
    for (String name : threadNames) {
      Matcher client = KAFKA_CLIENT.matcher(name);
      Matcher streams = STREAMS.matcher(client.matches() ? client.group(2) : name);
      if (streams.matches()) {
        applications.add(streams.group(1));
      }
    }
    return applications;
  }

  /**
   * Whether a thread Linux lists for this process ({@code comm}) is one of the JVM's own, which
   * Java does not list: the GC's, the JIT compilers', the VM thread and its helpers.
   */
  static boolean isJvmInternal(String comm) {
    return GC_THREAD.matcher(comm).matches()
        || JIT_THREAD.matcher(comm).matches()
        || HIDDEN_RUNTIME.contains(comm);
  }

  /** A name as "other JVM threads" lists it: numbers and UUIDs folded, so a pool reads as one. */
  static String folded(String threadName) {
    return threadName.replaceAll(UUID, "UUID").replaceAll("\\d+(\\.\\d+)*", "N");
  }

  /**
   * The part thread {@code name} works for.
   *
   * @param group the name of the thread's group, if known; it counts only for a thread whose name
   *     tells nothing
   */
  Part of(String name, @Nullable String group) {
    Part part = byName(name);
    if (part != OTHER_THREADS || group == null) {
      return part;
    }
    Matcher capture = CAPTURE_GROUP.matcher(group);
    return capture.matches() ? captureEngine(capture.group(1)) : OTHER_THREADS;
  }

  private Part byName(String name) {
    Part part = jvm(name);
    if (part == null) {
      part = harness(name);
    }
    if (part == null) {
      part = kafka(name);
    }
    if (part == null) {
      part = mesh(name);
    }
    if (part == null) {
      part = broker(name);
    }
    return part == null ? OTHER_THREADS : part;
  }

  private static @Nullable Part jvm(String name) {
    if (GC_THREAD.matcher(name).matches()) {
      return GC;
    }
    if (JIT_THREAD.matcher(name).matches()) {
      return JIT;
    }
    return RUNTIME.contains(name) ? JVM_RUNTIME : null;
  }

  private static @Nullable Part harness(String name) {
    if (name.startsWith("bench-writer-")) {
      return new Part(HARNESS, "writers (JDBC commits)");
    }
    if (name.startsWith("bench-visibility-poller")) {
      return new Part(HARNESS, "visibility poller (HTTP to the sales subgraph)");
    }
    if (name.startsWith("bench-kafka-tap")) {
      return new Part(HARNESS, "Kafka tap");
    }
    if (name.startsWith("bench-order-probe")) {
      return new Part(HARNESS, "order probe (HTTP through the gateway)");
    }
    if (name.startsWith("bench-cpu-sampler")) {
      return new Part(HARNESS, "CPU sampler");
    }
    if (name.startsWith("meshgate-simulator")) {
      return new Part(HARNESS, "simulator (HTTP through the gateway)");
    }
    if (name.equals("main") || name.startsWith("bench-")) {
      return new Part(HARNESS, "main thread and teardown");
    }
    return null;
  }

  /** Kafka clients' own threads and Kafka Streams' threads. */
  private @Nullable Part kafka(String name) {
    Matcher client = KAFKA_CLIENT.matcher(name);
    if (client.matches()) {
      return kafkaClient(client.group(1), client.group(2));
    }
    Matcher streams = STREAMS.matcher(name);
    return streams.matches() ? streams(streams.group(1)) : null;
  }

  private Part kafkaClient(String thread, String id) {
    Matcher streams = STREAMS.matcher(id);
    if (streams.matches()) {
      return streams(streams.group(1));
    }
    if (streamsApplications.contains(id)) {
      return streams(id);
    }
    Matcher publisher = PUBLISHER.matcher(id);
    if (publisher.matches()) {
      return publishing(publisher.group(1));
    }
    Matcher catalog = CATALOG_PUBLISHER.matcher(id);
    if (catalog.matches()) {
      return catalogPublication(catalog.group(1));
    }
    if (id.equals(AUDIT_GROUP)) {
      return AUDIT_CONSUMER;
    }
    if (id.startsWith(AUDIT_GROUP + "-")) {
      return AUDIT_BACKGROUND;
    }
    if (id.startsWith("meshgate-catalog-")) {
      return CATALOG_CONSUMER;
    }
    Matcher group = PRODUCT_ID.matcher(id);
    if (thread.equals("coordinator-heartbeat") && group.matches()) {
      return consumer(group.group(1), id);
    }
    return OTHER_THREADS;
  }

  /** Threads the mesh's own code names: products, catalog, audit log, gateway. */
  private static @Nullable Part mesh(String name) {
    Matcher debezium = DEBEZIUM.matcher(name);
    if (debezium.matches()) {
      return new Part(debezium.group(1), "capture: WAL streaming (Debezium connector)");
    }
    Matcher consumer = CONSUMER.matcher(name);
    if (consumer.matches()) {
      return consumer(consumer.group(2), consumer.group(1));
    }
    Part service = services(name);
    if (service != null) {
      return service;
    }
    Matcher owned = OWNED.matcher(name);
    return owned.matches() ? owned(owned.group(1), owned.group(2)) : null;
  }

  private static @Nullable Part services(String name) {
    if (name.equals("meshgate-catalog-consumer") || name.startsWith("catalog-index-")) {
      return CATALOG_CONSUMER;
    }
    if (name.startsWith("catalog-search-")) {
      return new Part(CATALOG, "search threads");
    }
    if (name.equals("meshgate-audit-log")) {
      return AUDIT_CONSUMER;
    }
    if (name.equals("meshgate-audit-topic-watcher")
        || name.equals("audit-merkle-root")
        || name.equals("audit-tree-heads")
        || name.startsWith("audit-verification-")) {
      return AUDIT_BACKGROUND;
    }
    if (name.startsWith("gateway-accept-") || name.startsWith("gateway-http-")) {
      return new Part(GATEWAY, "HTTP event loops (Netty)");
    }
    if (name.startsWith("gateway-subgraph-") && !name.equals("gateway-subgraph-watcher")) {
      return new Part(GATEWAY, "subgraph client event loops (Netty)");
    }
    if (name.startsWith("gateway-")) {
      return new Part(GATEWAY, name.replaceAll("-\\d+", "") + " thread");
    }
    if (CARRIER.matcher(name).matches() || name.equals("VirtualThread-unblocker")) {
      return VIRTUAL_THREADS;
    }
    if (JDK_HTTP_CLIENT.matcher(name).matches()) {
      return JDK_HTTP_CLIENTS;
    }
    if (TOMCAT_REQUESTS.matcher(name).matches()) {
      return TOMCAT_UNNAMED;
    }
    return TOMCAT_SHARED.matcher(name).matches() ? TOMCAT_IO : null;
  }

  private static Part owned(String owner, String what) {
    switch (what) {
      case "capture" -> {
        return captureEngine(owner);
      }
      case "catalog" -> {
        return catalogPublication(owner);
      }
      default -> {
        String service =
            switch (owner) {
              case "catalog" -> CATALOG;
              case "audit" -> AUDIT;
              default -> owner;
            };
        return what.startsWith("db:")
            ? new Part(service, "database pool housekeeping (Hikari)")
            : new Part(service, "subgraph HTTP (Tomcat request threads, operation deadlines)");
      }
    }
  }

  private static @Nullable Part broker(String name) {
    if (BROKER_REQUESTS.matcher(name).matches()) {
      return new Part(BROKER, "request handlers");
    }
    if (BROKER_NETWORK.matcher(name).matches()) {
      return new Part(BROKER, "network threads");
    }
    if (BROKER_KRAFT.matcher(name).matches()) {
      return new Part(BROKER, "KRaft controller and metadata");
    }
    if (BROKER_COORDINATORS.matcher(name).matches()) {
      return new Part(BROKER, "group, share and transaction coordinators");
    }
    if (BROKER_HOUSEKEEPING.matcher(name).matches()) {
      return new Part(BROKER, "purgatories, log cleaner, schedulers, metrics");
    }
    return null;
  }

  /**
   * The engine's threads poll the connector's queue, map each change to an event, check it against
   * its schema and hand it to the producer, all in the same thread.
   */
  private static Part captureEngine(String product) {
    return new Part(product, "capture: engine (polling, mapping, schema checks, sends)");
  }

  private static Part publishing(String product) {
    return new Part(product, "publishing (Kafka producer I/O)");
  }

  private static Part catalogPublication(String product) {
    return new Part(product, "catalog publication");
  }

  private static Part consumer(String product, String group) {
    return new Part(product, "consumer " + group);
  }

  private static Part streams(String application) {
    Matcher product = PRODUCT_ID.matcher(application);
    return new Part(product.matches() ? product.group(1) : OTHER, "Kafka Streams " + application);
  }
}
