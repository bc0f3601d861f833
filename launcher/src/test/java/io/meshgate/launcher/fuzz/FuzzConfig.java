package io.meshgate.launcher.fuzz;

import java.time.Duration;

/**
 * How one fuzz run goes.
 *
 * @param operations how many generated operations to send, spread evenly over the endpoints
 * @param seed the seed every operation is drawn from; the same seed and endpoints give the same
 *     operations
 * @param concurrency operations in flight at once
 * @param timeout longest wait for one answer; an operation still unanswered then is a hang
 * @param probeInterval how often the {@code __typename} probe asks the gateway (and, in turn, one
 *     subgraph)
 * @param probeLimit the slowest acceptable probe answer
 * @param settle pause after the last operation before the CPU is measured
 * @param cpuWindow how long one CPU measurement averages over
 * @param cpuWindows how many measurements may pass before the CPU must be back to idle
 * @param idleMargin cores above the CPU measured before the run that still count as idle
 */
public record FuzzConfig(
    int operations,
    long seed,
    int concurrency,
    Duration timeout,
    Duration probeInterval,
    Duration probeLimit,
    Duration settle,
    Duration cpuWindow,
    int cpuWindows,
    double idleMargin) {

  /**
   * The documented defaults: 10,000 operations, 4 at a time, 30 s per answer, a probe every 500 ms.
   */
  public static FuzzConfig defaults(long seed) {
    return new FuzzConfig(
        10_000,
        seed,
        4,
        Duration.ofSeconds(30),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(3),
        Duration.ofSeconds(5),
        4,
        0.10);
  }

  public FuzzConfig withOperations(int n) {
    return new FuzzConfig(
        n,
        seed,
        concurrency,
        timeout,
        probeInterval,
        probeLimit,
        settle,
        cpuWindow,
        cpuWindows,
        idleMargin);
  }

  public FuzzConfig withConcurrency(int n) {
    return new FuzzConfig(
        operations,
        seed,
        n,
        timeout,
        probeInterval,
        probeLimit,
        settle,
        cpuWindow,
        cpuWindows,
        idleMargin);
  }
}
