package io.meshgate.bench;

import io.meshgate.launcher.LauncherSettings;
import io.meshgate.launcher.Mesh;
import io.meshgate.launcher.MeshLauncher;
import io.meshgate.product.sales.SalesProduct;
import io.meshgate.runtime.topics.Topics;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Load harness for commit-to-visible latency: how long after a transaction on {@code
 * sales.customers} commits does a client of the sales subgraph see its effect, through change
 * capture, Kafka and the read model.
 *
 * <p>It starts a whole embedded mesh, creates customers, commits changes at a modest rate for a few
 * minutes unmeasured (a fresh JVM compiles the mesh's hot code for that long; measured earlier, a
 * run shows the compiler, not the mesh), then for each offered rate commits changes over JDBC on an
 * open-loop schedule (one change per transaction, each writing a unique marker into the customer's
 * name) while a reader polls the subgraph over HTTP for the customers with pending changes. Latency
 * is the time from the commit returning to the first response showing the change. Run {@code
 * --help} for the options; Debezium settings can be tried with {@code
 * -Dmeshgate.capture[poll.interval.ms]=1} and the like.
 */
public final class CommitToVisibleBenchmark {

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
  private static final Duration STRAGGLER_WAIT = Duration.ofSeconds(10);
  private static final Duration SEED_WAIT = Duration.ofSeconds(120);
  private static final long START_DELAY_NANOS = Duration.ofMillis(100).toNanos();
  private static final String CUSTOMER_ENTITY = "customer";

  private final BenchOptions options;
  private final PrintStream out = System.out;
  private final Teardown teardown = new Teardown();

  private CommitToVisibleBenchmark(BenchOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    if (BenchOptions.helpRequested(args)) {
      System.out.print(BenchOptions.usage());
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + "\n" + BenchOptions.usage());
      System.exit(2);
      return;
    }
    MeshLauncher.routeLogging();
    int status;
    try {
      status = new CommitToVisibleBenchmark(options).run();
    } catch (Exception e) {
      System.err.println("bench: failed: " + e);
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  /** Runs every rate and returns the exit status: 0 when every change became visible. */
  private int run() throws Exception {
    Path dataDir = options.dataDir();
    if (dataDir == null) {
      dataDir = Files.createTempDirectory("meshgate-bench-");
      teardown.deleteAtEnd(dataDir);
    }
    Runtime.getRuntime()
        .addShutdownHook(Thread.ofPlatform().name("bench-teardown").unstarted(teardown::run));
    try {
      return runIn(dataDir);
    } finally {
      teardown.run();
    }
  }

  private int runIn(Path dataDir) throws Exception {
    ChangeTimeline timeline = new ChangeTimeline(capacity());
    printHeader(dataDir);
    long startedAt = System.nanoTime();
    // Sample data off; Postgres, Kafka and the gateway on any free port, the sales subgraph on
    // --port.
    Mesh mesh =
        Mesh.start(
            new LauncherSettings(
                dataDir,
                null,
                null,
                "postgres",
                "postgres",
                0,
                0,
                options.port(),
                false,
                0,
                Map.of("*", 0),
                0));
    teardown.close(mesh);
    out.printf(
        "mesh up in %.1f s: sales subgraph %s/graphql, Kafka %s%n",
        (System.nanoTime() - startedAt) / 1e9, mesh.salesUrl(), mesh.kafkaBootstrapServers());

    Marker marker =
        new Marker(
            Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36), 36));
    PendingChanges pending = new PendingChanges();
    List<ChangeWriter> writers = new ArrayList<>();
    for (int lane = 0; lane < options.connections(); lane++) {
      writers.add(teardown.close(new ChangeWriter(connect(mesh), marker, timeline, pending, lane)));
    }
    VisibilityPoller poller =
        teardown.close(
            new VisibilityPoller(
                mesh.salesUrl(), options.pollInterval(), marker, timeline, pending));
    poller.start();
    if (options.kafkaTap()) {
      KafkaTap tap =
          teardown.close(
              new KafkaTap(
                  mesh.kafkaBootstrapServers(),
                  Topics.changes(SalesProduct.NAME, CUSTOMER_ENTITY),
                  marker,
                  timeline));
      tap.start();
    }

    ReadModelProbe probe = teardown.close(new ReadModelProbe(connect(mesh), marker, timeline));
    // Where Mesh puts the embedded server's data directory.
    Run run =
        new Run(timeline, poller, writers, probe, dataDir.toAbsolutePath().resolve("postgres"));
    run.seed();
    List<RateResult> results = new ArrayList<>();
    long nextSeq = options.customers();
    nextSeq += run.warmUpTheCompiler(nextSeq);
    for (int rate : options.rates()) {
      RateResult result = run.measure(rate, nextSeq);
      nextSeq += result.scheduled();
      results.add(result);
    }
    printSummary(results);
    return results.stream().allMatch(r -> r.neverSeen() == 0) ? 0 : 1;
  }

  /** One mesh, its writers and its reader, measured at one rate after another. */
  private final class Run {

    private final ChangeTimeline timeline;
    private final VisibilityPoller poller;
    private final List<ChangeWriter> writers;
    private final ReadModelProbe probe;
    private final Path postgresDir;

    Run(
        ChangeTimeline timeline,
        VisibilityPoller poller,
        List<ChangeWriter> writers,
        ReadModelProbe probe,
        Path postgresDir) {
      this.timeline = timeline;
      this.poller = poller;
      this.writers = writers;
      this.probe = probe;
      this.postgresDir = postgresDir;
    }

    /** Creates the customers, each writer its share, and waits until all are visible. */
    void seed() throws SQLException {
      int customers = options.customers();
      long seq = 0;
      for (int lane = 0; lane < writers.size(); lane++) {
        int share = customers / writers.size() + (lane < customers % writers.size() ? 1 : 0);
        writers.get(lane).seed(seq, share);
        seq += share;
      }
      out.printf(
          "created %,d customers; waiting until the subgraph shows them all...%n", customers);
      long start = timeline.now();
      Progress progress = new Progress("seed", 0, customers, start, start);
      progress.writersDone();
      waitUntil(() -> unseen(0, customers) == 0, SEED_WAIT, progress);
      long missing = unseen(0, customers);
      if (missing > 0) {
        throw new IllegalStateException(
            missing
                + " of "
                + customers
                + " customers were still not visible after "
                + SEED_WAIT.toSeconds()
                + " s");
      }
      out.printf(
          "all %,d customers visible after %.1f s%n", customers, (timeline.now() - start) / 1e9);
    }

    /**
     * Commits changes at the JIT warm-up rate, unmeasured, and waits until all are visible.
     *
     * @return how many changes it scheduled
     */
    long warmUpTheCompiler(long firstSeq) throws InterruptedException {
      int rate = options.jitWarmupRate();
      long count = rate * options.jitWarmup().toSeconds();
      if (count == 0) {
        return 0;
      }
      out.printf(
          "%nJIT warm-up: %,d changes/s for %d s (unmeasured: a fresh JVM compiles the mesh's hot"
              + " code for minutes)%n",
          rate, options.jitWarmup().toSeconds());
      Schedule schedule = new Schedule(firstSeq, count, timeline.now() + START_DELAY_NANOS, rate);
      AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
      List<Thread> threads = startWriters(schedule, failure);
      Progress progress =
          new Progress(
              "JIT warm-up",
              schedule.firstSeq(),
              schedule.endSeq(),
              schedule.startNanos(),
              schedule.dueAt(count));
      awaitWriters(threads, failure, progress, () -> {});
      progress.writersDone();
      waitUntil(() -> unseen(firstSeq, schedule.endSeq()) == 0, STRAGGLER_WAIT, progress);
      return count;
    }

    RateResult measure(int rate, long firstSeq) throws InterruptedException, SQLException {
      long warmupCount = (long) rate * options.warmup().toSeconds();
      long measuredCount = (long) rate * options.duration().toSeconds();
      Schedule schedule =
          new Schedule(
              firstSeq, warmupCount + measuredCount, timeline.now() + START_DELAY_NANOS, rate);
      long measureStart = schedule.dueAt(warmupCount);
      long measureEnd = schedule.dueAt(schedule.count());
      out.printf(
          "%nrate %,d/s: %d s warmup, then %d s measured (%,d changes, %d%% inserts, %d"
              + " connection%s)%n",
          rate,
          options.warmup().toSeconds(),
          options.duration().toSeconds(),
          measuredCount,
          options.insertPercent(),
          writers.size(),
          writers.size() == 1 ? "" : "s");

      AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
      List<Thread> threads = startWriters(schedule, failure);
      Progress progress =
          new Progress(
              "rate " + rate + "/s",
              schedule.firstSeq(),
              schedule.endSeq(),
              schedule.startNanos(),
              measureStart);
      poller.latencySinceLastCall();
      MeasuredWindow window = new MeasuredWindow(measureStart);
      @Nullable CpuBreakdown cpu;
      try {
        awaitWriters(threads, failure, progress, window::openWhenDue);
        cpu = window.cpu == null ? null : window.cpu.stop();
      } finally {
        if (window.cpu != null) {
          window.cpu.close();
        }
      }
      Histogram roundTrips = poller.roundTripsSinceLastCall();
      double pollsPerSecond =
          (poller.requests() - window.requestsBefore) / ((measureEnd - measureStart) / 1e9);

      progress.writersDone();
      waitUntil(() -> unseen(firstSeq, schedule.endSeq()) == 0, STRAGGLER_WAIT, progress);
      long measuredFirst = firstSeq + warmupCount;
      RateResult result =
          RateResult.of(
              schedule,
              measuredFirst,
              measureStart,
              measureEnd,
              timeline,
              probe.sample(measuredFirst, schedule.endSeq()));
      result.print(out);
      out.printf(
          "  reader: %.0f polls/s (every %d ms at most), HTTP round trip %s%n",
          pollsPerSecond, options.pollInterval().toMillis(), RateResult.percentiles(roundTrips));
      if (cpu != null) {
        out.println(cpu.table("  "));
      }
      return result;
    }

    /** What is recorded from the start of a rate's measured window: CPU and the reader's polls. */
    private final class MeasuredWindow {
      private final long start;
      private @Nullable CpuRecorder cpu;
      private long requestsBefore;

      MeasuredWindow(long start) {
        this.start = start;
      }

      /** Starts recording once the window has begun. */
      void openWhenDue() {
        if (cpu == null && timeline.now() >= start) {
          cpu = CpuRecorder.start(postgresDir);
          poller.roundTripsSinceLastCall();
          requestsBefore = poller.requests();
        }
      }
    }

    /**
     * Waits for the writers, running {@code everyTick} and printing progress every 20 ms meanwhile;
     * the first writer failure stops them all and is thrown.
     */
    private void awaitWriters(
        List<Thread> threads,
        AtomicReference<@Nullable Throwable> failure,
        Progress progress,
        Runnable everyTick)
        throws InterruptedException {
      for (Thread thread : threads) {
        while (!thread.join(Duration.ofMillis(20))) {
          everyTick.run();
          if (failure.get() != null) {
            threads.forEach(Thread::interrupt);
          }
          progress.maybePrint();
        }
      }
      Throwable failed = failure.get();
      if (failed != null) {
        throw new IllegalStateException("a writer failed: " + failed.getMessage(), failed);
      }
    }

    private List<Thread> startWriters(
        Schedule schedule, AtomicReference<@Nullable Throwable> failure) {
      List<Thread> threads = new ArrayList<>();
      for (int lane = 0; lane < writers.size(); lane++) {
        ChangeWriter writer = writers.get(lane);
        int myLane = lane;
        threads.add(
            Thread.ofPlatform()
                .name("bench-writer-" + lane)
                .start(
                    () -> {
                      try {
                        writer.run(schedule, myLane, writers.size(), options.insertPercent());
                      } catch (SQLException | RuntimeException e) {
                        failure.compareAndSet(null, e);
                      }
                    }));
      }
      return threads;
    }

    private long unseen(long fromSeq, long toSeq) {
      long unseen = 0;
      for (long seq = fromSeq; seq < toSeq; seq++) {
        if (timeline.committed.get((int) seq) != 0 && timeline.visible.get((int) seq) == 0) {
          unseen++;
        }
      }
      return unseen;
    }

    private void waitUntil(BooleanSupplier done, Duration timeout, Progress progress) {
      long deadline = timeline.now() + timeout.toNanos();
      while (!done.getAsBoolean() && timeline.now() < deadline) {
        progress.maybePrint();
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    /**
     * A line every ten seconds so that a person watching sees the run is alive and how it fares.
     */
    private final class Progress {

      private final String label;
      private final long firstSeq;
      private final long endSeq;
      private final long startNanos;
      private final long measureStart;
      private long nextAt;
      private long lastCommits;
      private long lastAt;
      private boolean writersDone;

      Progress(String label, long firstSeq, long endSeq, long startNanos, long measureStart) {
        this.label = label;
        this.firstSeq = firstSeq;
        this.endSeq = endSeq;
        this.startNanos = startNanos;
        this.measureStart = measureStart;
        this.nextAt = timeline.now() + PROGRESS_EVERY.toNanos();
        this.lastCommits = timeline.commitCount.get();
        this.lastAt = timeline.now();
      }

      void writersDone() {
        writersDone = true;
      }

      void maybePrint() {
        long now = timeline.now();
        if (now < nextAt) {
          return;
        }
        nextAt += PROGRESS_EVERY.toNanos();
        long commits = timeline.commitCount.get();
        double commitRate = (commits - lastCommits) / ((now - lastAt) / 1e9);
        lastCommits = commits;
        lastAt = now;
        String phase =
            writersDone
                ? "waiting until all visible"
                : now < measureStart ? "warming up" : "measuring";
        Histogram recent = poller.latencySinceLastCall();
        String errors =
            poller.errors() == 0
                ? ""
                : String.format(
                    "; %d reader errors, last: %s", poller.errors(), poller.lastError());
        out.printf(
            "  [%s] %3.0f s %s: %,d/s committed, %,d in flight;"
                + " last 10 s: %,d seen, p50 %.1f p99 %.1f max %.1f ms%s%n",
            label,
            Math.max(0, now - startNanos) / 1e9,
            phase,
            Math.round(commitRate),
            unseen(firstSeq, endSeq),
            recent.getTotalCount(),
            RateResult.ms(recent.getValueAtPercentile(50)),
            RateResult.ms(recent.getValueAtPercentile(99)),
            RateResult.ms(recent.getMaxValue()),
            errors);
      }
    }
  }

  private void printHeader(Path dataDir) {
    out.printf(
        "commit-to-visible benchmark: JIT warm-up %d s at %,d/s, then rates %s changes/s, %d s"
            + " warmup + %d s measured each, %,d customers, %d writer connection(s), %d%% inserts,"
            + " reader polls every %d ms, %d CPUs%n",
        options.jitWarmup().toSeconds(),
        options.jitWarmupRate(),
        options.rates(),
        options.warmup().toSeconds(),
        options.duration().toSeconds(),
        options.customers(),
        options.connections(),
        options.insertPercent(),
        options.pollInterval().toMillis(),
        Runtime.getRuntime().availableProcessors());
    out.println("data directory: " + dataDir + (options.dataDir() == null ? " (temporary)" : ""));
    System.getProperties().stringPropertyNames().stream()
        .filter(name -> name.startsWith("meshgate."))
        .sorted()
        .forEach(name -> out.println("setting: " + name + "=" + System.getProperty(name)));
  }

  private void printSummary(List<RateResult> results) {
    out.printf("%nsummary: commit-to-visible latency (ms)%n");
    out.printf(
        "  %9s %10s %9s %8s %8s %8s %8s %10s%n",
        "offered/s", "achieved/s", "changes", "p50", "p95", "p99", "max", "never seen");
    for (RateResult r : results) {
      Histogram h = r.commitToVisible();
      out.printf(
          "  %9d %10.1f %9d %8.1f %8.1f %8.1f %8.1f %10d%s%n",
          r.rate(),
          r.achieved(),
          r.committed(),
          RateResult.ms(h.getValueAtPercentile(50)),
          RateResult.ms(h.getValueAtPercentile(95)),
          RateResult.ms(h.getValueAtPercentile(99)),
          RateResult.ms(h.getMaxValue()),
          r.neverSeen(),
          r.writersFellBehind() ? "  (writers fell behind)" : "");
    }
  }

  private int capacity() {
    long total = options.customers() + options.jitWarmupRate() * options.jitWarmup().toSeconds();
    for (int rate : options.rates()) {
      total += (long) rate * (options.warmup().toSeconds() + options.duration().toSeconds());
    }
    if (total >= Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "too many changes for one run (" + total + "); lower the rates or durations");
    }
    return (int) total;
  }

  private static Connection connect(Mesh mesh) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", mesh.user());
    props.setProperty("password", mesh.password());
    props.setProperty("ApplicationName", "meshgate-bench-writer");
    return DriverManager.getConnection(mesh.jdbcUrl(SalesProduct.NAME), props);
  }
}
