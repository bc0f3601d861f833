package io.meshgate.launcher.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshgate.launcher.fuzz.FuzzReport.Longest;
import io.meshgate.launcher.fuzz.FuzzReport.ProbeStats;
import io.meshgate.launcher.fuzz.Violation.Kind;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Drives one fuzz run: introspects every endpoint once, measures the CPU at rest, sends the
 * generated operations a few at a time while a probe keeps asking the gateway for {@code
 * __typename}, then checks that the CPU comes back to rest. The first target is the gateway the
 * probe asks.
 */
public final class FuzzRun {

  private static final String PROBE = "{\"query\":\"{ __typename }\"}";
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
  private static final double REST_CORES = 0.15;
  private static final double STEADY_CORES = 0.05;
  private static final Duration REST_WAIT = Duration.ofMinutes(2);

  private final FuzzConfig config;
  private final List<Target> targets;
  private final CpuMeter cpu;
  private final PrintStream out;
  private final HttpClient http;
  private final HttpClient probeHttp;

  private final Map<String, Map<String, LongAdder>> statuses = new ConcurrentHashMap<>();
  private final Map<Category, LongAdder> categories = new ConcurrentHashMap<>();
  private final Map<String, FuzzReport.ViolationClass> violations = new LinkedHashMap<>();
  private final AtomicReference<Longest> longest =
      new AtomicReference<>(new Longest(0, -1, "", "", ""));
  private final AtomicInteger done = new AtomicInteger();
  private final LongAdder violationCount = new LongAdder();

  FuzzRun(FuzzConfig config, List<Target> targets, CpuMeter cpu, PrintStream out) {
    this.config = config;
    this.targets = List.copyOf(targets);
    this.cpu = cpu;
    this.out = out;
    this.http = client();
    this.probeHttp = client();
  }

  /**
   * Runs {@code config} against {@code targets} (the gateway first), printing progress to {@code
   * out}.
   */
  public static FuzzReport run(
      FuzzConfig config, List<Target> targets, CpuMeter cpu, PrintStream out)
      throws InterruptedException {
    return new FuzzRun(config, targets, cpu, out).run();
  }

  /** The CPU of a mesh running embedded in this JVM: this JVM and its Postgres server. */
  public static CpuMeter meshCpu(io.meshgate.launcher.Mesh mesh) {
    return CpuMeter.thisJvm(mesh.dataDir().resolve("postgres"));
  }

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  FuzzReport run() throws InterruptedException {
    long start = System.nanoTime();
    Map<String, SchemaModel> schemas = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    for (Target target : targets) {
      try {
        SchemaModel schema = SchemaModel.introspect(http, target, ResponseCheck.JSON);
        schemas.put(target.name(), schema);
        out.printf(
            "fuzz: %s: %d types, %d root fields%n",
            target, schema.types().size(), schema.query().fields().size());
      } catch (IOException e) {
        notes.add(
            "no schema from "
                + target.name()
                + " (schema-aware operations fall back to __typename): "
                + e.getMessage());
        out.println("fuzz: " + notes.getLast());
      }
    }
    OperationGenerator generator = new OperationGenerator(config.seed(), targets, schemas);
    double before = 0;
    if (cpu.measures()) {
      out.printf("fuzz: waiting for the mesh to come to rest (CPU of %s)...%n", cpu.describe());
      before = atRest();
    }
    out.printf(
        "fuzz: %.3f cores at rest; sending %,d operations, %d at a time, seed %d%n",
        before, config.operations(), config.concurrency(), config.seed());

    AtomicBoolean running = new AtomicBoolean(true);
    ProbeStats.Builder probes = new ProbeStats.Builder();
    Thread probe =
        Thread.ofPlatform().daemon().name("fuzz-probe").start(() -> probe(running, probes));
    long fuzzStart = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < config.concurrency(); w++) {
      workers.add(
          Thread.ofPlatform()
              .name("fuzz-worker-" + w)
              .start(
                  () -> {
                    for (int i = next.getAndIncrement();
                        i < config.operations();
                        i = next.getAndIncrement()) {
                      send(generator, i);
                      done.incrementAndGet();
                    }
                  }));
    }
    long lastProgress = System.nanoTime();
    for (Thread worker : workers) {
      while (worker.isAlive()) {
        worker.join(1_000);
        if (System.nanoTime() - lastProgress > PROGRESS_EVERY.toNanos()) {
          lastProgress = System.nanoTime();
          out.printf(
              "fuzz: %,d / %,d operations, %,d violations, %s%n",
              done.get(), config.operations(), violationCount.sum(), probes.summary());
        }
      }
    }
    Duration fuzzing = Duration.ofNanos(System.nanoTime() - fuzzStart);
    running.set(false);
    probe.join(config.probeLimit().toMillis() * 5);
    ProbeStats probeStats = probes.build();
    for (Violation v : probes.violations()) {
      record(v);
    }

    out.printf(
        "fuzz: all operations answered in %.1f s; waiting for the CPU to come back to rest...%n",
        fuzzing.toMillis() / 1000.0);
    List<Double> after = new ArrayList<>();
    boolean idle = !cpu.measures();
    if (cpu.measures()) {
      Thread.sleep(config.settle().toMillis());
    }
    for (int w = 0; w < config.cpuWindows() && !idle; w++) {
      double cores = cpu.coresOver(config.cpuWindow().toMillis());
      after.add(cores);
      idle = cores <= before + config.idleMargin();
    }
    FuzzReport.CpuStats cpuStats =
        new FuzzReport.CpuStats(
            cpu.measures() ? cpu.describe() : "not measured",
            before,
            List.copyOf(after),
            idle,
            config.idleMargin(),
            config.cpuWindow());
    if (!idle) {
      record(
          new Violation(
              Kind.CPU_NOT_IDLE,
              "mesh",
              "after the run",
              -1,
              "",
              String.format("%.3f cores at rest before, then %s", before, after)));
    }
    Map<String, Map<String, Long>> statusCounts = new LinkedHashMap<>();
    for (Target t : targets) {
      Map<String, Long> counts = new java.util.TreeMap<>();
      statuses.getOrDefault(t.name(), Map.of()).forEach((k, v) -> counts.put(k, v.sum()));
      statusCounts.put(t.name(), counts);
    }
    Map<Category, Long> categoryCounts = new java.util.EnumMap<>(Category.class);
    categories.forEach((k, v) -> categoryCounts.put(k, v.sum()));
    List<FuzzReport.ViolationClass> classes;
    synchronized (violations) {
      classes = List.copyOf(violations.values());
    }
    return new FuzzReport(
        config,
        targets,
        statusCounts,
        categoryCounts,
        longest.get(),
        probeStats,
        cpuStats,
        classes,
        notes,
        fuzzing,
        Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * The CPU of the mesh at rest: a freshly started mesh is still loading and capturing its sample
   * data, so windows are measured until one is below {@link #REST_CORES} or three in a row agree
   * within {@link #STEADY_CORES}, for at most two minutes; the lowest of the last three is what the
   * run is compared with.
   */
  private double atRest() throws InterruptedException {
    List<Double> windows = new ArrayList<>();
    long deadline = System.nanoTime() + REST_WAIT.toNanos();
    while (true) {
      double cores = cpu.coresOver(config.cpuWindow().toMillis());
      windows.add(cores);
      List<Double> last = windows.subList(Math.max(0, windows.size() - 3), windows.size());
      boolean steady =
          last.size() == 3
              && java.util.Collections.max(last) - java.util.Collections.min(last) <= STEADY_CORES;
      if (cores <= REST_CORES || steady || System.nanoTime() > deadline) {
        return java.util.Collections.min(last);
      }
      out.printf("fuzz: %.3f cores, not at rest yet%n", cores);
    }
  }

  private void send(OperationGenerator generator, int index) {
    Target target = generator.target(index);
    FuzzRequest request;
    try {
      request = generator.generate(index);
    } catch (RuntimeException e) {
      // A defect of the generator must not pass for a finding about the mesh.
      throw new IllegalStateException(
          "generating operation " + index + " of seed " + config.seed() + " failed", e);
    }
    categories.computeIfAbsent(request.category(), c -> new LongAdder()).increment();
    HttpRequest httpRequest;
    try {
      httpRequest = toHttp(target, request);
    } catch (IllegalArgumentException e) {
      count(target, "not sendable");
      return;
    }
    long sent = System.nanoTime();
    CompletableFuture<HttpResponse<byte[]>> pending =
        http.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
    @Nullable HttpResponse<byte[]> response;
    try {
      response = pending.get(config.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      hang(target, index, request, sent);
      return;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HttpTimeoutException) {
        hang(target, index, request, sent);
        return;
      }
      response = onNewConnection(httpRequest);
      String failure = e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
      if (response == null) {
        count(target, "no answer");
        record(
            new Violation(
                Kind.NO_ANSWER,
                target.name(),
                e.getCause().getClass().getSimpleName(),
                index,
                request.preview(200),
                failure + ", and again on a new connection"));
        return;
      }
      // The request itself is answerable: what failed was the kept-alive connection it was sent on.
      record(
          new Violation(
              Kind.CONNECTION_DROPPED,
              target.name(),
              e.getCause().getClass().getSimpleName(),
              index,
              request.preview(200),
              failure + "; on a new connection: " + response.statusCode()));
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      return;
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
    longest.accumulateAndGet(
        new Longest(millis, index, target.name(), request.category().name(), request.variant()),
        (a, b) -> b.millis() > a.millis() ? b : a);
    count(target, Integer.toString(response.statusCode()));
    for (Violation v :
        ResponseCheck.check(target, index, request, response.statusCode(), response.body())) {
      record(v);
    }
  }

  /** The request once more on a connection of its own; null when that fails too. */
  private @Nullable HttpResponse<byte[]> onNewConnection(HttpRequest request) {
    try (HttpClient fresh = client()) {
      return fresh
          .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
          .get(config.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void hang(Target target, int index, FuzzRequest request, long sent) {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
    count(target, "timeout");
    longest.accumulateAndGet(
        new Longest(millis, index, target.name(), request.category().name(), request.variant()),
        (a, b) -> b.millis() > a.millis() ? b : a);
    record(
        new Violation(
            Kind.HANG,
            target.name(),
            request.category().name(),
            index,
            request.preview(200),
            "no answer after " + millis + " ms"));
  }

  private HttpRequest toHttp(Target target, FuzzRequest request) {
    URI uri =
        request.rawQuery().isEmpty()
            ? target.graphql()
            : URI.create(target.graphql() + "?" + request.rawQuery());
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(config.timeout());
    if (request.contentType() != null) {
      builder.header("Content-Type", request.contentType());
    }
    if (request.accept() != null) {
      builder.header("Accept", request.accept());
    }
    if (request.method().equals("GET")) {
      builder.GET();
    } else {
      builder.method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
    }
    return builder.build();
  }

  private void count(Target target, String status) {
    statuses
        .computeIfAbsent(target.name(), t -> new ConcurrentHashMap<>())
        .computeIfAbsent(status, s -> new LongAdder())
        .increment();
  }

  private void record(Violation v) {
    violationCount.increment();
    synchronized (violations) {
      violations.computeIfAbsent(v.classKey(), k -> new FuzzReport.ViolationClass(v)).add(v);
    }
  }

  /** Asks the gateway, and each subgraph in turn, for {@code __typename} until the run is over. */
  private void probe(AtomicBoolean running, ProbeStats.Builder stats) {
    int turn = 0;
    while (running.get()) {
      long tick = System.nanoTime();
      probeOnce(targets.getFirst(), stats);
      if (targets.size() > 1) {
        probeOnce(targets.get(1 + turn++ % (targets.size() - 1)), stats);
      }
      long rest = config.probeInterval().toNanos() - (System.nanoTime() - tick);
      if (rest > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(rest);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void probeOnce(Target target, ProbeStats.Builder stats) {
    HttpRequest request =
        HttpRequest.newBuilder(target.graphql())
            .timeout(config.timeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(PROBE, StandardCharsets.UTF_8))
            .build();
    long sent = System.nanoTime();
    String problem = null;
    try {
      HttpResponse<String> response = probeHttp.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = ResponseCheck.JSON.readTree(response.body());
      String typename = body.path("data").path("__typename").asText("");
      if (response.statusCode() != 200 || typename.isEmpty()) {
        problem = response.statusCode() + " " + FuzzRequest.excerpt(response.body(), 300);
      }
    } catch (IOException e) {
      problem = e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
    boolean slow = millis > config.probeLimit().toMillis();
    stats.add(
        target.name(),
        millis,
        slow || problem != null
            ? new Violation(
                Kind.SLOW_PROBE,
                target.name(),
                problem == null ? "over " + config.probeLimit().toMillis() + " ms" : "no answer",
                -1,
                "{ __typename } after operation ~" + done.get(),
                (problem == null ? "" : problem + ", ") + millis + " ms")
            : null);
  }
}
