package io.meshgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CPU table: parts largest first, adding up to the JVM's total with an explicit remainder. */
class CpuBreakdownTest {

  private static final long SECOND = 1_000_000_000L;

  private static final ThreadParts.Part SALES_HTTP =
      new ThreadParts.Part("sales", "subgraph HTTP (Tomcat request threads, operation deadlines)");
  private static final ThreadParts.Part SALES_CAPTURE =
      new ThreadParts.Part("sales", "capture: engine (polling, mapping, schema checks, sends)");
  private static final ThreadParts.Part BROKER_IO =
      new ThreadParts.Part("Kafka broker", "network threads");
  private static final ThreadParts.Part AUDIT_HEADS =
      new ThreadParts.Part("audit log", "tree heads, Merkle roots, verification, topic watcher");

  /** Over 10 s the JVM used 10 s of CPU (1 core); its live threads account for 9.5 s of it. */
  private final CpuBreakdown breakdown =
      new CpuBreakdown(
          Duration.ofSeconds(10),
          10 * SECOND,
          Map.of(
              ThreadParts.JIT,
              3 * SECOND,
              SALES_HTTP,
              4 * SECOND,
              SALES_CAPTURE,
              SECOND,
              BROKER_IO,
              SECOND / 100,
              AUDIT_HEADS,
              SECOND / 100,
              ThreadParts.OTHER_THREADS,
              SECOND * 148 / 100),
          Map.of("pool-N-thread-N", SECOND, "Cleaner-N", SECOND * 48 / 100),
          Map.of(
              "client backends sales",
              2 * SECOND,
              "walwriter",
              SECOND / 10,
              "checkpointer",
              SECOND / 1000,
              "postmaster",
              0L),
          "JVM RSS 900 MB (peak 910 MB); load average 3.00 (1 min)");

  @Test
  void whatNoLiveThreadAccountsForIsTheRemainder() {
    assertThat(breakdown.remainderNanos()).isEqualTo(SECOND / 2);
  }

  @Test
  void listsThePartsLargestFirstThenTheRemainderAndTheTotal() {
    List<String> lines = breakdown.table("  ").lines().toList();

    assertThat(lines)
        .containsExactly(
            "  CPU by part over the measured 10.0 s, in cores (this JVM 1.00, Postgres 0.21; JVM"
                + " RSS 900 MB (peak 910 MB); load average 3.00 (1 min)):",
            "     cores   share  part",
            "     0.400   40.0%  sales: subgraph HTTP (Tomcat request threads, operation"
                + " deadlines)",
            "     0.300   30.0%  JVM: JIT compilers (C1, C2)",
            "     0.148   14.8%  other: other JVM threads (pool-N-thread-N 0.100, Cleaner-N 0.048)",
            "     0.100   10.0%  sales: capture: engine (polling, mapping, schema checks, sends)",
            "     0.002    0.2%  2 smaller parts, each under 0.005 cores (Kafka broker, audit log)",
            "     0.050    5.0%  remainder: threads that ended during the window (their CPU since"
                + " last seen), the JVM's launcher thread",
            "     1.000  100.0%  this JVM in all (the process's CPU time)",
            "  by owner (cores): sales 0.50, JVM 0.30, other 0.15, Kafka broker 0.00, audit log"
                + " 0.00",
            "  Postgres 0.210 cores: client backends sales 0.200, walwriter 0.010, 2 more kinds"
                + " under 0.001 each");
  }
}
