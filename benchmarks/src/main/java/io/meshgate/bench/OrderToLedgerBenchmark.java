package io.meshgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.launcher.LauncherSettings;
import io.meshgate.launcher.Mesh;
import io.meshgate.launcher.MeshLauncher;
import io.meshgate.launcher.simulate.TrafficSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end lag across products: the simulator places orders through the gateway at a fixed rate;
 * for each order a probe asks the gateway, until it answers, for the ledger transaction finance
 * booked for it. The lag is from the order's commit in distribution (its placeOrder answer) to the
 * debit being visible through the gateway: distribution's capture, Kafka, finance's subscription
 * and write, finance's capture, Kafka, finance's read model. The whole embedded mesh (Postgres,
 * Kafka, three products, stream processors, gateway) runs in this process, with the simulator and
 * the probe.
 *
 * <p>A fresh mesh JVM compiles its hot code for about three minutes (JIT compilers using a third of
 * the two cores at 20 orders/s, most of the JVM's CPU beyond its own work); a run first places
 * orders at a modest rate for {@code --jit-warmup} seconds so the measured window shows the mesh as
 * it runs for days, not the compiler.
 *
 * <p>{@code ./meshgate bench orders [--rate 200] [--duration 60] [--warmup 20] [--jit-warmup 180]
 * [--jit-warmup-rate 20]}
 */
public final class OrderToLedgerBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PROBE_BATCH = 100;

  private final int rate;
  private final int durationSeconds;
  private final int warmupSeconds;
  private final int jitWarmupSeconds;
  private final int jitWarmupRate;
  private final Teardown teardown = new Teardown();

  /** The probe's HTTP client's threads: the JDK's default pool, named for the probe. */
  private final ExecutorService httpThreads =
      Executors.newCachedThreadPool(
          Thread.ofPlatform()
              .name("bench-order-probe-http-", 0)
              .daemon(true)
              .inheritInheritableThreadLocals(false)
              .factory());

  private final HttpClient http = HttpClient.newBuilder().executor(httpThreads).build();
  private final ConcurrentLinkedQueue<TrafficSimulator.PlacedOrder> placed =
      new ConcurrentLinkedQueue<>();
  private volatile boolean measuring;
  private int probeTimeouts;

  private OrderToLedgerBenchmark(Map<String, Integer> options) {
    this.rate = options.get("--rate");
    this.durationSeconds = options.get("--duration");
    this.warmupSeconds = options.get("--warmup");
    this.jitWarmupSeconds = options.get("--jit-warmup");
    this.jitWarmupRate = Math.min(rate, options.get("--jit-warmup-rate"));
  }

  public static void main(String[] args) {
    Map<String, Integer> options;
    try {
      if (new BenchCommandLine(new Arguments()).parse(args)) {
        System.out.print(usage());
        return;
      }
      options = options(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + "\n" + usage());
      System.exit(2);
      return;
    }
    MeshLauncher.routeLogging();
    int status;
    try {
      status = new OrderToLedgerBenchmark(options).run();
    } catch (Exception e) {
      System.err.println("bench: failed: " + e);
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  /** The options as picocli reads them; values stay text until {@link #options} checks them. */
  @Command(
      name = "meshgate bench orders",
      synopsisHeading = "usage: ",
      customSynopsis = "meshgate bench orders [options]",
      optionListHeading = "%noptions:%n",
      sortOptions = false)
  static final class Arguments {
    @Option(
        names = "--rate",
        paramLabel = "ORDERS_PER_S",
        description = "orders placed per second through the gateway (default ${DEFAULT-VALUE})")
    String rate = "200";

    @Option(
        names = "--duration",
        paramLabel = "S",
        description = "measured seconds (default ${DEFAULT-VALUE})")
    String duration = "60";

    @Option(
        names = "--warmup",
        paramLabel = "S",
        description = "unmeasured seconds at the same rate first (default ${DEFAULT-VALUE})")
    String warmup = "20";

    @Option(
        names = "--jit-warmup",
        paramLabel = "S",
        description =
            "seconds at --jit-warmup-rate before the warm-up, so the JIT has compiled the mesh's"
                + " hot code (a fresh JVM compiles for about three minutes; 0 = none; default"
                + " ${DEFAULT-VALUE})")
    String jitWarmup = "180";

    @Option(
        names = "--jit-warmup-rate",
        paramLabel = "ORDERS_PER_S",
        description =
            "orders per second during the JIT warm-up, at most --rate (default ${DEFAULT-VALUE})")
    String jitWarmupRate = "20";

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "show this help and exit")
    boolean help;
  }

  /**
   * Reads {@code --rate}, {@code --duration}, {@code --warmup}, {@code --jit-warmup} and {@code
   * --jit-warmup-rate}, each {@code --flag value} or {@code --flag=value}.
   *
   * @throws IllegalArgumentException naming the bad option
   */
  static Map<String, Integer> options(String[] args) {
    Arguments given = new Arguments();
    new BenchCommandLine(given).parse(args);
    Map<String, Integer> options = new LinkedHashMap<>();
    options.put("--rate", BenchCommandLine.atLeast(given.rate, "--rate", 1));
    options.put("--duration", BenchCommandLine.atLeast(given.duration, "--duration", 1));
    options.put("--warmup", BenchCommandLine.atLeast(given.warmup, "--warmup", 0));
    options.put("--jit-warmup", BenchCommandLine.atLeast(given.jitWarmup, "--jit-warmup", 0));
    options.put(
        "--jit-warmup-rate", BenchCommandLine.atLeast(given.jitWarmupRate, "--jit-warmup-rate", 1));
    return options;
  }

  private static String usage() {
    return new BenchCommandLine(new Arguments()).usage();
  }

  /** Places orders at the JIT warm-up rate, unmeasured, then stops and lets the mesh drain. */
  private void warmUpTheCompiler(Mesh mesh) throws Exception {
    if (jitWarmupSeconds == 0) {
      return;
    }
    System.out.printf(
        "JIT warm-up: %d orders/s for %d s (unmeasured)%n", jitWarmupRate, jitWarmupSeconds);
    try (TrafficSimulator warmup =
        new TrafficSimulator(mesh.gatewayUrl(), jitWarmupRate, o -> {})) {
      warmup.start();
      Thread.sleep(jitWarmupSeconds * 1000L);
    }
    // The changes the warm-up made drain through capture, Kafka and the consumers before the
    // measured simulator starts, so its first orders do not queue behind them.
    Thread.sleep(5_000);
  }

  private int run() throws Exception {
    Path dataDir = Files.createTempDirectory("meshgate-bench-orders-");
    teardown.deleteAtEnd(dataDir);
    Runtime.getRuntime()
        .addShutdownHook(Thread.ofPlatform().name("bench-teardown").unstarted(teardown::run));
    try {
      return measure(dataDir);
    } finally {
      teardown.run();
    }
  }

  private int measure(Path dataDir) throws Exception {
    long startedAt = System.nanoTime();
    Mesh mesh =
        teardown.close(
            Mesh.start(
                new LauncherSettings(
                    dataDir,
                    null,
                    null,
                    "postgres",
                    "postgres",
                    0,
                    0,
                    0,
                    true,
                    0,
                    Map.of("*", 0),
                    0)));
    URI graphql = mesh.gatewayUrl().resolve("/graphql");
    System.out.printf(
        "mesh up in %.1f s (gateway %s); waiting for sample data%n",
        (System.nanoTime() - startedAt) / 1e9, mesh.gatewayUrl());
    awaitSampleData(graphql);
    warmUpTheCompiler(mesh);

    TrafficSimulator simulator =
        teardown.close(
            new TrafficSimulator(
                mesh.gatewayUrl(),
                rate,
                order -> {
                  if (measuring) {
                    placed.add(order);
                  }
                }));
    simulator.start();
    System.out.printf("simulator at %d orders/s; warming up %d s%n", rate, warmupSeconds);
    Thread.sleep(warmupSeconds * 1000L);

    Path postgresDir = dataDir.resolve("postgres");
    TrafficSimulator.Stats statsBefore = simulator.stats();
    measuring = true;
    Histogram lagMicros = new Histogram(3);
    List<TrafficSimulator.PlacedOrder> pending = new ArrayList<>();
    CpuBreakdown cpu = probeWhileMeasuring(graphql, postgresDir, pending, lagMicros);
    measuring = false;
    TrafficSimulator.Stats statsAfter = simulator.stats();
    long drainUntil = System.nanoTime() + 30_000_000_000L;
    while ((!pending.isEmpty() || !placed.isEmpty()) && System.nanoTime() < drainUntil) {
      probe(graphql, pending, lagMicros);
    }
    long placedCount = statsAfter.placed() - statsBefore.placed();
    System.out.printf(
        "%nOrders placed while measuring: %d in %d s (%.1f/s, target %d/s); skipped (gateway"
            + " saturated): %d; failed requests: %d; follow-ups refused because their order or"
            + " invoice had changed meanwhile: %d%n",
        placedCount,
        durationSeconds,
        placedCount / (double) durationSeconds,
        rate,
        statsAfter.skipped() - statsBefore.skipped(),
        statsAfter.failed() - statsBefore.failed(),
        statsAfter.refused() - statsBefore.refused());
    System.out.printf(
        "order commit -> ledger debit visible through the gateway (%d orders): p50 %.1f ms, p95"
            + " %.1f ms, p99 %.1f ms, max %.1f ms; never seen within 30 s after the run: %d%n",
        lagMicros.getTotalCount(),
        lagMicros.getValueAtPercentile(50) / 1000.0,
        lagMicros.getValueAtPercentile(95) / 1000.0,
        lagMicros.getValueAtPercentile(99) / 1000.0,
        lagMicros.getMaxValue() / 1000.0,
        pending.size() + placed.size());
    if (probeTimeouts > 0) {
      System.out.printf(
          "probe queries that timed out after 30 s (mesh overloaded): %d%n", probeTimeouts);
    }
    System.out.println(cpu.table(""));
    return pending.isEmpty() && placed.isEmpty() ? 0 : 1;
  }

  /**
   * Probes for the measured duration and records where the CPU went meanwhile. The probe runs on a
   * thread of its own, {@code bench-order-probe}, so that the CPU table tells it from the rest of
   * the harness.
   */
  private CpuBreakdown probeWhileMeasuring(
      URI graphql,
      Path postgresDir,
      List<TrafficSimulator.PlacedOrder> pending,
      Histogram lagMicros)
      throws Exception {
    try (ExecutorService probeThread =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("bench-order-probe").factory())) {
      return probeThread
          .submit(
              () -> {
                try (CpuRecorder cpu = CpuRecorder.start(postgresDir)) {
                  long end = System.nanoTime() + durationSeconds * 1_000_000_000L;
                  long nextReport = System.nanoTime() + 10_000_000_000L;
                  while (System.nanoTime() < end) {
                    probe(graphql, pending, lagMicros);
                    if (System.nanoTime() >= nextReport) {
                      System.out.printf(
                          "  %3d s: %d orders seen in finance, %d pending, p50 %.0f ms, p99 %.0f"
                              + " ms%n",
                          durationSeconds - (end - System.nanoTime()) / 1_000_000_000L,
                          lagMicros.getTotalCount(),
                          pending.size(),
                          lagMicros.getValueAtPercentile(50) / 1000.0,
                          lagMicros.getValueAtPercentile(99) / 1000.0);
                      nextReport += 10_000_000_000L;
                    }
                  }
                  return cpu.stop();
                }
              })
          .get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /**
   * One probe round: asks the gateway for the debits of up to {@value #PROBE_BATCH} pending orders
   * at once (oldest first); a round every 25 ms bounds the probe's own load on the mesh and the
   * measurement's resolution.
   */
  private void probe(URI graphql, List<TrafficSimulator.PlacedOrder> pending, Histogram lagMicros)
      throws IOException, InterruptedException {
    TrafficSimulator.PlacedOrder next;
    while ((next = placed.poll()) != null) {
      pending.add(next);
    }
    if (pending.isEmpty()) {
      Thread.sleep(5);
      return;
    }
    List<TrafficSimulator.PlacedOrder> batch =
        pending.subList(0, Math.min(PROBE_BATCH, pending.size()));
    StringBuilder query = new StringBuilder("{");
    for (int i = 0; i < batch.size(); i++) {
      query
          .append(" o")
          .append(i)
          .append(": order(id: \"")
          .append(batch.get(i).id())
          .append("\") { ledgerTransactions { kind } }");
    }
    JsonNode data;
    try {
      data = post(graphql, query.append(" }").toString());
    } catch (HttpTimeoutException e) {
      // An overloaded mesh answers late: the orders stay pending and their lag keeps growing.
      probeTimeouts++;
      return;
    }
    long now = System.nanoTime();
    List<TrafficSimulator.PlacedOrder> seen = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      JsonNode order = data.path("o" + i);
      if (!order.isMissingNode()
          && !order.isNull()
          && !order.path("ledgerTransactions").isEmpty()) {
        lagMicros.recordValue(Math.max(0, (now - batch.get(i).committedNanos()) / 1000));
        seen.add(batch.get(i));
      }
    }
    pending.removeAll(seen);
    // One probe round per 25 ms at most: the probe shares the cores with the mesh it measures,
    // and the lag it reports is in the hundreds of milliseconds.
    Thread.sleep(25);
  }

  private JsonNode post(URI graphql, String query) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode().put("query", query);
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(graphql)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return JSON.readTree(response.body()).path("data");
  }

  private void awaitSampleData(URI graphql) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonNode data = post(graphql, "{ warehouses { id } customers(first: 1) { totalCount } }");
      if (data.path("warehouses").size() > 0 && data.at("/customers/totalCount").asInt() >= 100) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("sample data did not become visible within 120 s");
  }
}
