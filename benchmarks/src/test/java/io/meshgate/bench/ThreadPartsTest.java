package io.meshgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The thread names of a whole mesh as a benchmark run shows them (jstack of {@code ./meshgate bench
 * orders} and {@code bench latency}), each with the part of the table it counts for.
 */
class ThreadPartsTest {

  private static final String SALES_STREAMS = "sales.metrics-acc8c78d-8e54-4c9c-b3db-792ead960bcf";
  private static final String FINANCE_STREAMS =
      "finance.metrics-386aeed1-6e8f-4851-a648-13205a406516";

  /** The Streams applications of a run are known from their threads' names. */
  private final ThreadParts parts =
      new ThreadParts(
          ThreadParts.streamsApplications(
              List.of(
                  SALES_STREAMS + "-StreamThread-1",
                  "kafka-admin-client-thread | " + FINANCE_STREAMS + "-admin",
                  "meshgate-sales.read-model",
                  "kafka-coordinator-heartbeat-thread | sales.metrics")));

  @ParameterizedTest(name = "{0} (group {1}): {2}: {3}")
  @CsvSource(
      delimiterString = " => ",
      nullValues = "-",
      quoteCharacter = '"',
      textBlock =
          """
          GC Thread#0 => - => JVM => GC
          G1 Conc#0 => - => JVM => GC
          G1 Main Marker => - => JVM => GC
          G1 Refine#0 => - => JVM => GC
          G1 Service => - => JVM => GC
          C2 CompilerThre => - => JVM => JIT compilers
          C1 CompilerThre => - => JVM => JIT compilers
          VM Thread => - => JVM => runtime
          VM Periodic Tas => - => JVM => runtime
          Service Thread => - => JVM => runtime
          Monitor Deflati => - => JVM => runtime
          Reference Handler => system => JVM => runtime
          Common-Cleaner => InnocuousThreadGroup => JVM => runtime
          meshgate-sales-capture => meshgate-sales-capture => sales => capture: engine
          pool-8-thread-1 => meshgate-sales-capture => sales => capture: engine
          pool-12-thread-1 => meshgate-distribution-capture => distribution => capture: engine
          Thread-6 => meshgate-finance-capture => finance => capture: engine
          FileOffsetBackingStore-1 => meshgate-sales-capture => sales => capture: engine
          debezium-postgresconnector-meshgate.sales-change-event-source-coordinator => meshgate-sales-capture => sales => capture: WAL streaming
          debezium-postgresconnector-meshgate.distribution-keep-alive => meshgate-distribution-capture => distribution => capture: WAL streaming
          debezium-postgresstreamingchangeeventsource-meshgate.finance-lsn-flush => meshgate-finance-capture => finance => capture: WAL streaming
          kafka-producer-network-thread | meshgate-sales-publisher => main => sales => publishing
          meshgate-sales.read-model => main => sales => consumer sales.read-model
          kafka-coordinator-heartbeat-thread | sales.read-model => main => sales => consumer sales.read-model
          meshgate-finance.from-distribution => main => finance => consumer finance.from-distribution
          kafka-coordinator-heartbeat-thread | distribution.from-sales => main => distribution => consumer distribution.from-sales
          meshgate-distribution.metrics-read-model => main => distribution => consumer distribution.metrics-read-model
          sales.metrics-acc8c78d-8e54-4c9c-b3db-792ead960bcf-StreamThread-1 => main => sales => Kafka Streams sales.metrics
          sales.metrics-acc8c78d-8e54-4c9c-b3db-792ead960bcf-StateUpdater-1 => main => sales => Kafka Streams sales.metrics
          finance.metrics-386aeed1-6e8f-4851-a648-13205a406516-CleanupThread => main => finance => Kafka Streams finance.metrics
          kafka-producer-network-thread | distribution.metrics-e013d625-f9aa-4d26-aced-f9d2cff0fb0e-StreamThread-1-producer => main => distribution => Kafka Streams distribution.metrics
          kafka-admin-client-thread | finance.metrics-386aeed1-6e8f-4851-a648-13205a406516-admin => main => finance => Kafka Streams finance.metrics
          kafka-coordinator-heartbeat-thread | sales.metrics => main => sales => Kafka Streams sales.metrics
          kafka-coordinator-heartbeat-thread | sales.metrics-read-model => main => sales => consumer sales.metrics-read-model
          meshgate-sales-catalog => main => sales => catalog publication
          kafka-producer-network-thread | distribution.catalog => main => distribution => catalog publication
          meshgate-sales-http-3 => main => sales => subgraph HTTP
          meshgate-finance-operation-deadline => main => finance => subgraph HTTP
          meshgate-distribution-db:housekeeper => main => distribution => database pool
          meshgate-catalog-http-1 => main => catalog => subgraph HTTP
          meshgate-audit-http-2 => main => audit log => subgraph HTTP
          meshgate-audit-db:connection-adder => main => audit log => database pool
          meshgate-catalog-consumer => main => catalog => consumer and indexing
          catalog-index-1 => main => catalog => consumer and indexing
          catalog-search-2 => main => catalog => search
          kafka-producer-network-thread | meshgate-catalog-deadletter => main => catalog => consumer and indexing
          meshgate-audit-log => main => audit log => consumer
          kafka-coordinator-heartbeat-thread | audit-store => main => audit log => consumer
          meshgate-audit-topic-watcher => main => audit log => tree heads
          audit-tree-heads => main => audit log => tree heads
          audit-merkle-root => main => audit log => tree heads
          audit-verification-1 => main => audit log => tree heads
          kafka-producer-network-thread | audit-store-heads => main => audit log => tree heads
          kafka-admin-client-thread | audit-store-topic-watcher => main => audit log => tree heads
          gateway-accept-1-1 => main => gateway => HTTP event loops
          gateway-http-3-2 => main => gateway => HTTP event loops
          gateway-subgraph-watcher => main => gateway => gateway-subgraph-watcher
          gateway-subgraph-5-2 => main => gateway => subgraph client event loops
          ForkJoinPool-1-worker-2 => CarrierThreads => gateway => virtual threads
          VirtualThread-unblocker => InnocuousThreadGroup => gateway => virtual threads
          HttpClient-3-SelectorManager => main => shared => JDK HttpClient
          http-nio-127.0.0.1-auto-1-Poller => main => shared => Tomcat pollers
          http-nio-127.0.0.1-auto-2-Acceptor => main => shared => Tomcat pollers
          Catalina-utility-1 => main => shared => Tomcat pollers
          container-0 => main => shared => Tomcat pollers
          http-nio-127.0.0.1-auto-1-exec-1 => main => shared => Tomcat request threads
          data-plane-kafka-request-handler-3 => main => Kafka broker => request handlers
          data-plane-kafka-network-thread-1-PLAINTEXT-PLAINTEXT-0 => main => Kafka broker => network
          data-plane-kafka-socket-acceptor-CONTROLLER-PLAINTEXT-34541 => main => Kafka broker => network
          kafka-1-raft-io-thread => main => Kafka broker => KRaft
          kafka-1-raft-scheduler0 => main => Kafka broker => KRaft
          quorum-controller-1-event-handler => main => Kafka broker => KRaft
          broker-1-to-controller-heartbeat-channel-manager => main => Kafka broker => KRaft
          kafka-1-metadata-loader-event-handler => main => Kafka broker => KRaft
          group-coordinator-event-processor-2 => main => Kafka broker => group, share and transaction
          TxnMarkerSenderThread-1 => main => Kafka broker => group, share and transaction
          AddPartitionsToTxnSenderThread-1 => main => Kafka broker => group, share and transaction
          transaction-log-manager-0 => main => Kafka broker => group, share and transaction
          ExpirationReaper-1-Fetch => main => Kafka broker => purgatories
          broker-1-ThrottledChannelReaper-Fetch => main => Kafka broker => purgatories
          executor-Fetch => main => Kafka broker => purgatories
          kafka-scheduler-7 => main => Kafka broker => purgatories
          kafka-log-cleaner-thread-0 => main => Kafka broker => purgatories
          metrics-meter-tick-thread-1 => main => Kafka broker => purgatories
          bench-writer-2 => main => harness => writers
          bench-visibility-poller => main => harness => visibility poller
          bench-visibility-poller-http-0 => main => harness => visibility poller
          bench-kafka-tap => main => harness => Kafka tap
          bench-order-probe => main => harness => order probe
          bench-order-probe-http-1 => main => harness => order probe
          meshgate-simulator => main => harness => simulator
          meshgate-simulator-http-4 => main => harness => simulator
          bench-cpu-sampler => main => harness => CPU sampler
          main => main => harness => main thread
          """)
  void attributesEveryThreadOfARunToItsPart(
      String name, @Nullable String group, String owner, String part) {
    ThreadParts.Part found = parts.of(name, group);

    assertThat(found.owner()).isEqualTo(owner);
    assertThat(found.name()).startsWith(part);
  }

  @ParameterizedTest
  @CsvSource({
    "pool-8-thread-1, main",
    "Thread-6, main",
    "Cleaner-0, InnocuousThreadGroup",
    "PostgreSQL-JDBC-SharedTimer-2, main",
    "ForkJoinPool.commonPool-worker-1, InnocuousForkJoinWorkerThreadGroup",
    "kafka-admin-client-thread | embedded-kafka-readiness, main"
  })
  void leavesWhatNoNameOrGroupTellsToOtherThreads(String name, String group) {
    assertThat(parts.of(name, group)).isEqualTo(ThreadParts.OTHER_THREADS);
  }

  @Test
  void aDefaultNameCountsForTheCaptureOnlyInsideItsGroup() {
    assertThat(parts.of("pool-8-thread-1", null)).isEqualTo(ThreadParts.OTHER_THREADS);
    assertThat(parts.of("pool-8-thread-1", "meshgate-sales-capture").owner()).isEqualTo("sales");
  }

  @Test
  void findsTheStreamsApplicationsOfARunInItsThreadNames() {
    assertThat(
            ThreadParts.streamsApplications(
                List.of(
                    SALES_STREAMS + "-StreamThread-1",
                    "kafka-producer-network-thread | "
                        + FINANCE_STREAMS
                        + "-StreamThread-1-producer",
                    "meshgate-sales.read-model",
                    "kafka-coordinator-heartbeat-thread | sales.metrics",
                    "pool-8-thread-1")))
        .containsExactly("sales.metrics", "finance.metrics");
  }

  @Test
  void aConsumerGroupNamedLikeNoStreamsApplicationStaysAConsumer() {
    ThreadParts withoutStreams = new ThreadParts(java.util.Set.of());

    assertThat(withoutStreams.of("kafka-coordinator-heartbeat-thread | sales.metrics", "main"))
        .isEqualTo(new ThreadParts.Part("sales", "consumer sales.metrics"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GC Thread#1",
        "G1 Conc#0",
        "G1 Main Marker",
        "G1 Refine#0",
        "G1 Service",
        "C1 CompilerThre",
        "C2 CompilerThre",
        "VM Thread",
        "VM Periodic Tas",
        "Service Thread",
        "Monitor Deflati"
      })
  void readsTheJvmsOwnThreadsFromLinux(String comm) {
    assertThat(ThreadParts.isJvmInternal(comm)).isTrue();
  }

  /** Java lists these itself; counting them from Linux too would count them twice. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "java",
        "Reference Handl",
        "Finalizer",
        "Signal Dispatch",
        "Notification Th",
        "Common-Cleaner",
        "meshgate-sales-",
        "data-plane-kafk"
      })
  void leavesJavaThreadsToJava(String comm) {
    assertThat(ThreadParts.isJvmInternal(comm)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "pool-12-thread-1, pool-N-thread-N",
    "http-nio-127.0.0.1-auto-1-exec-10, http-nio-N-auto-N-exec-N",
    "sales.metrics-acc8c78d-8e54-4c9c-b3db-792ead960bcf-StreamThread-1,"
        + " sales.metrics-UUID-StreamThread-N"
  })
  void foldsNumbersSoAPoolReadsAsOne(String name, String folded) {
    assertThat(ThreadParts.folded(name)).isEqualTo(folded);
  }
}
