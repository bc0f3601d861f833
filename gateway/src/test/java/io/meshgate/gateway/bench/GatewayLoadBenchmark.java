package io.meshgate.gateway.bench;

import static io.meshgate.gateway.bench.ThreadKind.CARRIERS;
import static io.meshgate.gateway.bench.ThreadKind.COMMON_POOL;
import static io.meshgate.gateway.bench.ThreadKind.ENDED;
import static io.meshgate.gateway.bench.ThreadKind.GC;
import static io.meshgate.gateway.bench.ThreadKind.HTTP_SERVER;
import static io.meshgate.gateway.bench.ThreadKind.IO_POLLERS;
import static io.meshgate.gateway.bench.ThreadKind.JDK_HTTP_CLIENT;
import static io.meshgate.gateway.bench.ThreadKind.JIT;
import static io.meshgate.gateway.bench.ThreadKind.LOAD_USERS;
import static io.meshgate.gateway.bench.ThreadKind.OTHER;

import io.meshgate.gateway.auth.LocalSigningKey;
import io.meshgate.gateway.testkit.BenchmarkSubgraphs;
import io.meshgate.gateway.testkit.BenchmarkWorkload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Load harness of the gateway: the public gateways-benchmark workload (four subgraphs, one nested
 * operation, 50 virtual users in a closed loop) against the standalone gateway in its own JVM. A
 * command, never a test:
 *
 * <pre>{@code
 * java -cp <test classpath> io.meshgate.gateway.bench.GatewayLoadBenchmark --runs 3 --duration 30s
 * }</pre>
 *
 * <p>It serves the subgraphs in this JVM, starts {@code gateway.jar} on a free loopback port, warms
 * it up, then measures each run: requests per second, latency percentiles, errors, and every answer
 * checked byte for byte against {@code expected-response.json}. Because the subgraphs, the gateway
 * and the load generator share one machine, it also reports the CPU each of them used (from {@code
 * /proc}, per thread kind), so a run shows whether the gateway was the bottleneck. Everything talks
 * over 127.0.0.1 only; everything started is stopped at the end or on Ctrl-C. Exits 0 when every
 * answer was correct, 1 otherwise, 2 on bad options, 3 when the harness itself failed.
 */
public final class GatewayLoadBenchmark {

  private static final ThreadKind[] LOAD_GENERATOR = {LOAD_USERS, JDK_HTTP_CLIENT};
  private static final ThreadKind[] SUBGRAPHS = {CARRIERS, COMMON_POOL, HTTP_SERVER, IO_POLLERS};
  private static final ThreadKind[] HARNESS_JVM = {GC, JIT, OTHER, ENDED};

  private final LoadOptions options;
  private final int cpus = Runtime.getRuntime().availableProcessors();

  private GatewayLoadBenchmark(LoadOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println("GatewayLoadBenchmark: " + e.getMessage());
      }
      System.err.println(LoadOptions.USAGE);
      System.exit(e.getMessage().isEmpty() ? 0 : 2);
      return;
    }
    int status;
    try {
      status = new GatewayLoadBenchmark(options).run();
    } catch (IOException e) {
      System.err.println("GatewayLoadBenchmark failed: " + e.getMessage());
      status = 3;
    } catch (Exception e) {
      System.err.println("GatewayLoadBenchmark failed: " + e);
      e.printStackTrace();
      status = 3;
    }
    System.exit(status);
  }

  /**
   * One measured phase.
   *
   * @param load throughput, latency and correctness
   * @param gateway CPU of the gateway process ({@link CpuSample.Usage#NONE} when its pid is
   *     unknown)
   * @param harness CPU of this JVM: subgraphs, virtual users and their shared JVM threads
   * @param machineCores all CPUs busy, on average
   * @param stealCores CPU taken by other guests of the hypervisor, on average
   * @param gatewayMemory the gateway's resident memory at the end
   */
  private record Measured(
      ClosedLoopLoad.Result load,
      CpuSample.Usage gateway,
      CpuSample.Usage harness,
      double machineCores,
      double stealCores,
      ResidentMemory gatewayMemory) {}

  private int run() throws Exception {
    Path folder = Files.createTempDirectory("gateway-bench-");
    // Also read by the shutdown hook, on another thread.
    List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    AtomicBoolean stopped = new AtomicBoolean();
    Runnable stop =
        () -> {
          if (stopped.compareAndSet(false, true)) {
            resources.reversed().forEach(GatewayLoadBenchmark::closeQuietly);
          }
        };
    Thread hook = new Thread(stop, "bench-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean keepFolder = false;
    try {
      @Nullable BenchmarkSubgraphs subgraphs = null;
      Path supergraph = folder.resolve("supergraph.graphql");
      if (options.gatewayUrl() == null) {
        subgraphs = BenchmarkSubgraphs.start();
        resources.add(subgraphs);
        Files.writeString(supergraph, subgraphs.supergraphSdl(), StandardCharsets.UTF_8);
      }
      if (options.subgraphsOnly()) {
        // Ctrl-C ends this JVM inside serveUntilInterrupted, where no finally block runs: the hook
        // cleans up.
        resources.addFirst(() -> cleanUp(folder, false));
        serveUntilInterrupted(subgraphs, supergraph);
        return 0;
      }
      GatewayProcess gateway = startGateway(supergraph, folder);
      resources.add(gateway);
      int status = load(gateway, folder);
      keepFolder = status != 0;
      return status;
    } catch (IOException e) {
      keepFolder = Files.exists(folder.resolve("gateway.log"));
      throw e;
    } finally {
      stop.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
      cleanUp(folder, keepFolder);
    }
  }

  /** The key the authenticated gateway trusts and the load's token is signed with. */
  private static LocalSigningKey signingKey(Path folder) {
    return LocalSigningKey.loadOrCreate(folder.resolve("auth"));
  }

  private GatewayProcess startGateway(Path supergraph, Path folder)
      throws IOException, InterruptedException {
    if (options.gatewayUrl() != null) {
      return GatewayProcess.attach(options.gatewayUrl(), options.gatewayPid());
    }
    long start = System.nanoTime();
    GatewayProcess gateway =
        GatewayProcess.start(
            options.java(),
            options.gatewayJar(),
            options.gatewayJvmArgs(),
            supergraph,
            folder,
            options.authenticated()
                ? List.of(
                    "--jwks-file",
                    signingKey(folder).jwksFile().toString(),
                    "--jwt-issuers",
                    LocalSigningKey.ISSUER,
                    "--jwt-audiences",
                    LocalSigningKey.AUDIENCE,
                    "--require-authentication")
                : List.of());
    System.out.printf(
        Locale.ROOT,
        "gateway: pid %d, healthy after %d ms (it reports ready in %s ms)%n  %s%n",
        gateway.pid(),
        Duration.ofNanos(System.nanoTime() - start).toMillis(),
        gateway.readyMillis(),
        gateway.description());
    return gateway;
  }

  private int load(GatewayProcess gateway, Path folder) throws Exception {
    byte[] request = BenchmarkWorkload.requestJson().strip().getBytes(StandardCharsets.UTF_8);
    byte[] expected =
        BenchmarkWorkload.expectedResponseJson().strip().getBytes(StandardCharsets.UTF_8);
    AnswerCheck check = new AnswerCheck(expected, folder);
    printSetup(gateway, request, expected);
    List<Measured> runs = new ArrayList<>();
    boolean clean;
    try (LoadClient client =
        LoadClient.of(
            options.client(),
            gateway.graphqlUrl(),
            request,
            options.requestTimeout(),
            options.authenticated()
                ? "Bearer "
                    + signingKey(folder)
                        .issue("load-user", Set.of("bench:read"), Duration.ofHours(12))
                : null)) {
      clean = firstAnswerIsCorrect(client, check);
      ClosedLoopLoad load = new ClosedLoopLoad(client, check, options.virtualUsers());
      if (!options.warmup().isZero()) {
        Measured warmup = measure(load, "warmup", options.warmup(), gateway);
        printPhase(warmup, gateway);
        clean &= warmup.load().clean();
      }
      for (int i = 1; i <= options.runs(); i++) {
        Measured run =
            measure(load, "run " + i + "/" + options.runs(), options.duration(), gateway);
        printPhase(run, gateway);
        clean &= run.load().clean();
        runs.add(run);
      }
    }
    printSummary(runs, gateway, expected.length);
    if (!clean) {
      printAlarm(runs, folder);
      return 1;
    }
    return 0;
  }

  private void printSetup(GatewayProcess gateway, byte[] request, byte[] expected) {
    System.out.printf(
        Locale.ROOT,
        "load: %d virtual users, closed loop, %s HTTP/1.1 keep-alive; warmup %s, "
            + "%d run(s) of %s%n",
        options.virtualUsers(),
        options.client().name().toLowerCase(Locale.ROOT),
        seconds(options.warmup()),
        options.runs(),
        seconds(options.duration()));
    System.out.printf(
        Locale.ROOT,
        "target: POST %s, %,d-byte body; each answer must be HTTP 200 and equal "
            + "expected-response.json (%,d bytes) byte for byte%n",
        gateway.graphqlUrl(),
        request.length,
        expected.length);
    System.out.printf(
        Locale.ROOT,
        "machine: %d CPUs for everything; this JVM (pid %d, Java %s) hosts the %s%n",
        cpus,
        ProcessHandle.current().pid(),
        Runtime.version(),
        options.gatewayUrl() == null ? "subgraphs and the load generator" : "load generator only");
  }

  private static boolean firstAnswerIsCorrect(LoadClient client, AnswerCheck check) {
    try (LoadClient.Connection connection = client.open()) {
      LoadClient.Answer answer = connection.exchange();
      if (check.isCorrect(answer)) {
        System.out.println("first answer: correct");
        return true;
      }
      check.reportWrong("first request", answer);
    } catch (IOException e) {
      check.reportFailure("first request", e);
    }
    return false;
  }

  private Measured measure(
      ClosedLoopLoad load, String name, Duration duration, GatewayProcess gateway)
      throws InterruptedException {
    CpuSample gatewayBefore = gatewayCpu(gateway);
    CpuSample harnessBefore = CpuSample.ofThisProcess();
    MachineCpu machineBefore = MachineCpu.sample();
    ClosedLoopLoad.Phase phase = load.start(name, duration);
    CpuSample gatewayLast = gatewayBefore;
    MachineCpu machineLast = machineBefore;
    long answersLast = 0;
    long tick = phase.startNanos();
    while (true) {
      tick += options.progressInterval().toNanos();
      Duration untilTick = Duration.ofNanos(Math.max(0, tick - System.nanoTime()));
      if (phase.awaitFor(untilTick)) {
        break;
      }
      CpuSample gatewayNow = gatewayCpu(gateway);
      MachineCpu machineNow = MachineCpu.sample();
      long answersNow = phase.answers();
      double seconds = (machineNow.nanoTime() - machineLast.nanoTime()) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "  [%s %3.0f s] %,7.1f req/s, %,d answers, %d problems | CPU cores: "
              + "gateway %.2f, machine %.2f of %d%n",
          name,
          (machineNow.nanoTime() - phase.startNanos()) / 1e9,
          (answersNow - answersLast) / seconds,
          answersNow,
          phase.problems(),
          gatewayNow.since(gatewayLast).cores(),
          machineNow.coresSince(machineLast),
          cpus);
      gatewayLast = gatewayNow;
      machineLast = machineNow;
      answersLast = answersNow;
    }
    ClosedLoopLoad.Result result = phase.await();
    MachineCpu machineAfter = MachineCpu.sample();
    CpuSample.Usage gatewayUsage =
        gateway.pid() == null ? CpuSample.Usage.NONE : gatewayCpu(gateway).since(gatewayBefore);
    CpuSample.Usage harnessUsage =
        CpuSample.ofThisProcess()
            .since(harnessBefore)
            .withEnded(LOAD_USERS, result.usersCpuSeconds());
    ResidentMemory memory =
        gateway.pid() == null ? new ResidentMemory(0, 0) : ResidentMemory.of(gateway.pid());
    return new Measured(
        result,
        gatewayUsage,
        harnessUsage,
        machineAfter.coresSince(machineBefore),
        machineAfter.stealCoresSince(machineBefore),
        memory);
  }

  private static CpuSample gatewayCpu(GatewayProcess gateway) {
    Long pid = gateway.pid();
    return pid == null ? new CpuSample(System.nanoTime(), 0, Map.of()) : CpuSample.of(pid);
  }

  private void printPhase(Measured measured, GatewayProcess gateway) {
    ClosedLoopLoad.Result load = measured.load();
    Latencies latencies = load.latencies();
    System.out.printf(
        Locale.ROOT,
        "%s: %.1f s, %,d answers = %,.1f req/s (%,.1f correct/s); failures %d, "
            + "wrong status %d %s, MISMATCHES %d%n",
        load.name(),
        load.seconds(),
        load.answers(),
        load.answersPerSecond(),
        load.correctPerSecond(),
        load.failures(),
        load.statusErrorCount(),
        load.statusErrors(),
        load.mismatches());
    System.out.printf(
        Locale.ROOT,
        "  latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  (mean %.2f; %d users / "
            + "mean = %,.0f req/s)%n",
        latencies.percentileMillis(50),
        latencies.percentileMillis(90),
        latencies.percentileMillis(99),
        latencies.maxMillis(),
        latencies.meanMillis(),
        options.virtualUsers(),
        latencies.meanMillis() == 0 ? 0 : options.virtualUsers() * 1000 / latencies.meanMillis());
    CpuSample.Usage gw = measured.gateway();
    CpuSample.Usage harness = measured.harness();
    double rest = measured.machineCores() - gw.cores() - harness.cores();
    System.out.printf(
        Locale.ROOT,
        "  CPU cores of %d (machine busy %.2f, steal %.2f):%n",
        cpus,
        measured.machineCores(),
        measured.stealCores());
    if (gateway.pid() != null) {
      System.out.printf(
          Locale.ROOT,
          "    gateway process   %.2f  %s%n",
          gw.cores(),
          breakdown(gw, ThreadKind.values()));
    } else {
      System.out.println("    gateway process   ?     (give --gateway-pid to measure it)");
    }
    if (options.gatewayUrl() == null) {
      System.out.printf(
          Locale.ROOT,
          "    subgraphs         %.2f  %s%n",
          harness.cores(SUBGRAPHS),
          breakdown(harness, SUBGRAPHS));
    }
    System.out.printf(
        Locale.ROOT,
        "    load generator    %.2f  %s%n",
        harness.cores(LOAD_GENERATOR),
        breakdown(harness, LOAD_GENERATOR));
    System.out.printf(
        Locale.ROOT,
        "    harness JVM rest  %.2f  %s%s%n",
        harness.cores(HARNESS_JVM),
        breakdown(harness, HARNESS_JVM),
        options.gatewayUrl() == null ? " (shared by subgraphs and load generator)" : "");
    System.out.printf(Locale.ROOT, "    rest of machine   %.2f%n", Math.max(0, rest));
    if (load.answers() > 0) {
      System.out.printf(
          Locale.ROOT,
          "  CPU ms per request: gateway %s, %sload generator %.2f, harness JVM rest %.2f%n",
          gateway.pid() == null
              ? "?"
              : String.format(Locale.ROOT, "%.2f", gw.processSeconds() * 1000 / load.answers()),
          options.gatewayUrl() != null
              ? ""
              : String.format(
                  Locale.ROOT,
                  "subgraphs %.2f, ",
                  harness.seconds(SUBGRAPHS) * 1000 / load.answers()),
          harness.seconds(LOAD_GENERATOR) * 1000 / load.answers(),
          harness.seconds(HARNESS_JVM) * 1000 / load.answers());
    }
    if (gateway.pid() != null) {
      System.out.println("  gateway memory: RSS " + measured.gatewayMemory());
    }
    if (gw.cores(JIT) > 0.1 * gw.cores()) {
      System.out.printf(
          Locale.ROOT,
          "  note: the gateway was still JIT-compiling (%.2f cores): not at steady state; "
              + "a longer --warmup gives steadier figures%n",
          gw.cores(JIT));
    }
    System.out.flush();
  }

  /**
   * The kinds of threads that used CPU, busiest first: "[virtual-thread carriers 0.91, GC 0.10]".
   */
  private static String breakdown(CpuSample.Usage usage, ThreadKind... kinds) {
    List<String> parts =
        Stream.of(kinds)
            .filter(kind -> usage.cores(kind) >= 0.005)
            .sorted(Comparator.comparingDouble((ThreadKind kind) -> usage.cores(kind)).reversed())
            .map(kind -> String.format(Locale.ROOT, "%s %.2f", kind.label(), usage.cores(kind)))
            .toList();
    return parts.toString();
  }

  private void printSummary(List<Measured> runs, GatewayProcess gateway, int expectedLength) {
    if (runs.isEmpty()) {
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "%n== %d run(s) x %s, %d virtual users, %s client%s ==%n",
        runs.size(),
        seconds(options.duration()),
        options.virtualUsers(),
        options.client().name().toLowerCase(Locale.ROOT),
        options.authenticated() ? ", every request with a bearer token (required)" : "");
    System.out.println(
        "run     req/s   p50 ms   p90 ms   p99 ms   max ms   gateway cores  gw ms/req  machine"
            + " busy");
    for (int i = 0; i < runs.size(); i++) {
      Measured run = runs.get(i);
      ClosedLoopLoad.Result load = run.load();
      System.out.printf(
          Locale.ROOT,
          "%-4d %8.1f %8.2f %8.2f %8.2f %8.2f %15.2f %10.2f %8.2f of %d%n",
          i + 1,
          load.answersPerSecond(),
          load.latencies().percentileMillis(50),
          load.latencies().percentileMillis(90),
          load.latencies().percentileMillis(99),
          load.latencies().maxMillis(),
          run.gateway().cores(),
          load.answers() == 0 ? 0 : run.gateway().processSeconds() * 1000 / load.answers(),
          run.machineCores(),
          cpus);
    }
    double medianRate = median(runs, run -> run.load().answersPerSecond());
    System.out.printf(
        Locale.ROOT,
        "MEDIAN req/s: %.1f (min %.1f, max %.1f); median p50 %.2f ms, p99 %.2f ms%n",
        medianRate,
        min(runs, run -> run.load().answersPerSecond()),
        max(runs, run -> run.load().answersPerSecond()),
        median(runs, run -> run.load().latencies().percentileMillis(50)),
        median(runs, run -> run.load().latencies().percentileMillis(99)));
    long answers = runs.stream().mapToLong(run -> run.load().answers()).sum();
    long correct = runs.stream().mapToLong(run -> run.load().correct()).sum();
    System.out.printf(
        Locale.ROOT,
        "correctness: %,d of %,d answers equal to expected-response.json (%,d bytes)%n",
        correct,
        answers,
        expectedLength);
    printBottleneck(runs, gateway, medianRate);
  }

  private void printBottleneck(List<Measured> runs, GatewayProcess gateway, double medianRate) {
    double machine = median(runs, Measured::machineCores);
    double gatewayCores = median(runs, run -> run.gateway().cores());
    double subgraphs = median(runs, run -> run.harness().cores(SUBGRAPHS));
    double generator = median(runs, run -> run.harness().cores(LOAD_GENERATOR));
    double harnessRest = median(runs, run -> run.harness().cores(HARNESS_JVM));
    System.out.printf(
        Locale.ROOT,
        "CPU (median cores of %d): machine %.2f = gateway %.2f + subgraphs %s + "
            + "load generator %.2f + harness JVM rest %.2f + other processes %.2f%n",
        cpus,
        machine,
        gatewayCores,
        options.gatewayUrl() == null
            ? String.format(Locale.ROOT, "%.2f", subgraphs)
            : "(in other processes)",
        generator,
        harnessRest,
        Math.max(0, machine - gatewayCores - subgraphs - generator - harnessRest));
    if (gateway.pid() == null) {
      return;
    }
    double gatewayMsPerRequest =
        median(
            runs,
            run ->
                run.load().answers() == 0
                    ? 0
                    : run.gateway().processSeconds() * 1000 / run.load().answers());
    if (machine >= 0.9 * cpus) {
      System.out.printf(
          Locale.ROOT,
          "bottleneck: the machine's CPUs are saturated (%.0f%% busy); the gateway got %.0f%% of"
              + " them. The throughput above is that of the whole box, not of the gateway alone.%n",
          100 * machine / cpus,
          100 * gatewayCores / Math.max(machine, 1e-9));
    } else {
      System.out.printf(
          Locale.ROOT,
          "bottleneck: not CPU (machine %.0f%% busy): the gateway waits on something "
              + "(locks, I/O, its own concurrency limits) or the users are too few.%n",
          100 * machine / cpus);
    }
    if (gatewayMsPerRequest > 0) {
      System.out.printf(
          Locale.ROOT,
          "gateway cost: %.2f CPU ms per request, i.e. at most ~%.0f req/s per core it gets; ~%.0f"
              + " req/s on 3 dedicated cores if it scaled linearly (published, 3 CPUs: Hive Router"
              + " 1709, Apollo Router 353, Apollo Gateway 91). Measured here: %.1f req/s.%n",
          gatewayMsPerRequest,
          1000 / gatewayMsPerRequest,
          3000 / gatewayMsPerRequest,
          medianRate);
    }
  }

  private static void printAlarm(List<Measured> runs, Path folder) {
    long mismatches = runs.stream().mapToLong(run -> run.load().mismatches()).sum();
    long failures =
        runs.stream().mapToLong(run -> run.load().failures() + run.load().statusErrorCount()).sum();
    String banner = "!".repeat(100);
    String message =
        String.format(
            Locale.ROOT,
            "%s%n!!! THE GATEWAY DID NOT ANSWER CORRECTLY: %,d mismatching answers, %,d failed"
                + " requests or error statuses in the measured runs (warmup and first request: see"
                + " above).%n!!! Throughput figures of a gateway that answers wrongly mean nothing."
                + " Details above; wrong bodies and the gateway log kept in %s%n%s",
            banner,
            mismatches,
            failures,
            folder,
            banner);
    System.out.println(message);
    System.err.println(message);
  }

  private void serveUntilInterrupted(@Nullable BenchmarkSubgraphs subgraphs, Path supergraph)
      throws InterruptedException {
    System.out.println("subgraphs: " + (subgraphs == null ? "none" : subgraphs.urls()));
    System.out.println("supergraph: " + supergraph);
    System.out.println(
        "start a gateway on it, e.g.: java -jar gateway.jar --supergraph "
            + supergraph
            + " --port 4000; then run this harness with --gateway-url http://127.0.0.1:4000/graphql"
            + " --gateway-pid PID");
    System.out.println("serving until Ctrl-C");
    Thread.currentThread().join();
  }

  private static void cleanUp(Path folder, boolean keep) {
    try {
      Files.deleteIfExists(folder.resolve("gateway.jar"));
      if (keep) {
        System.err.println("kept for inspection: " + folder);
        return;
      }
      try (Stream<Path> files = Files.walk(folder)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      System.err.println("could not clean up " + folder + ": " + e);
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      System.err.println("could not stop " + resource + ": " + e);
    }
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }

  private static double median(List<Measured> runs, ToDoubleFunction<Measured> metric) {
    double[] values = runs.stream().mapToDouble(metric).sorted().toArray();
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }

  private static double min(List<Measured> runs, ToDoubleFunction<Measured> metric) {
    return runs.stream().mapToDouble(metric).min().orElse(0);
  }

  private static double max(List<Measured> runs, ToDoubleFunction<Measured> metric) {
    return runs.stream().mapToDouble(metric).max().orElse(0);
  }
}
