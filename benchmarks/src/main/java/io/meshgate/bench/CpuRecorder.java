package io.meshgate.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import io.meshgate.launcher.embedded.ProcessCpu;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Records the CPU this JVM's threads and the embedded Postgres server's processes use over a
 * measured window, for a {@link CpuBreakdown} by part of the mesh. Java threads are read through
 * the JVM, with their names and thread groups; the JVM's own threads, which Java does not list (GC,
 * JIT compilers, the VM thread), and Postgres' processes through Linux's {@code /proc}, which reads
 * as empty elsewhere.
 *
 * <p>A thread that ends during the window takes with it the CPU it used since it was last seen, so
 * the recorder looks every {@value #INTERVAL_MILLIS} ms, on a thread of its own ({@code
 * bench-cpu-sampler}, a part of the table like any other), and what is still lost shows as the
 * table's remainder.
 */
final class CpuRecorder implements AutoCloseable {

  private static final long INTERVAL_MILLIS = 1000;
  private static final Path TASKS = Path.of("/proc/self/task");

  private final Path postgresDataDir;
  private final @Nullable ThreadMXBean threadBean;
  private final @Nullable OperatingSystemMXBean os;
  private final long startWallNanos;
  private final long startJvmNanos;
  private final Map<Long, Track> javaThreads = new HashMap<>();
  private final Map<Long, Track> jvmThreads = new HashMap<>();
  private final Map<Long, Optional<String>> jvmThreadNames = new HashMap<>();
  private final Map<Long, Track> postgresProcesses = new HashMap<>();
  private final Thread sampler;
  private @Nullable CpuBreakdown breakdown;

  /** CPU nanoseconds a thread or process used: when the window began (0 if later) and last seen. */
  private static final class Track {
    String name;
    @Nullable String group;
    final long first;
    long last;

    Track(String name, @Nullable String group, long first) {
      this.name = name;
      this.group = group;
      this.first = first;
      this.last = first;
    }
  }

  private CpuRecorder(Path postgresDataDir) {
    this.postgresDataDir = postgresDataDir;
    this.threadBean =
        ManagementFactory.getThreadMXBean() instanceof ThreadMXBean bean
                && bean.isThreadCpuTimeSupported()
                && bean.isThreadCpuTimeEnabled()
            ? bean
            : null;
    this.os =
        ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean bean
            ? bean
            : null;
    this.startWallNanos = System.nanoTime();
    this.startJvmNanos = jvmNanos();
    sample(true);
    this.sampler =
        Thread.ofPlatform().name("bench-cpu-sampler").daemon(true).unstarted(this::sampleEvery);
  }

  /**
   * Starts the window now.
   *
   * @param postgresDataDir the embedded server's data directory; pg_ctl detaches the postmaster
   *     from this JVM, so it is found through its pid file rather than among this process's
   *     children
   */
  static CpuRecorder start(Path postgresDataDir) {
    CpuRecorder recorder = new CpuRecorder(postgresDataDir);
    recorder.sampler.start();
    return recorder;
  }

  /** Ends the window now (the first call; later calls return the same breakdown). */
  CpuBreakdown stop() {
    sampler.interrupt();
    synchronized (this) {
      if (breakdown == null) {
        sample(false);
        breakdown = breakdown();
      }
      return breakdown;
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void sampleEvery() {
    while (true) {
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      synchronized (this) {
        if (breakdown != null) {
          return;
        }
        sample(false);
      }
    }
  }

  private void sample(boolean baseline) {
    sampleJavaThreads(baseline);
    sampleJvmThreads(baseline);
    samplePostgres(baseline);
  }

  private void sampleJavaThreads(boolean baseline) {
    ThreadMXBean bean = threadBean;
    if (bean == null) {
      return;
    }
    Thread[] threads = liveThreads();
    long[] ids = new long[threads.length];
    for (int i = 0; i < threads.length; i++) {
      ids[i] = threads[i].threadId();
    }
    long[] cpu = bean.getThreadCpuTime(ids);
    for (int i = 0; i < threads.length; i++) {
      if (cpu[i] < 0) {
        continue; // ended meanwhile
      }
      ThreadGroup group = threads[i].getThreadGroup();
      String groupName = group == null ? null : group.getName();
      String name = threads[i].getName();
      Track track = javaThreads.get(ids[i]);
      if (track == null) {
        track = new Track(name, groupName, baseline ? cpu[i] : 0);
        javaThreads.put(ids[i], track);
      }
      track.name = name;
      if (groupName != null) {
        track.group = groupName;
      }
      track.last = cpu[i];
    }
  }

  private void sampleJvmThreads(boolean baseline) {
    List<Long> tids = new ArrayList<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        tids.add(Long.parseLong(task.getFileName().toString()));
      }
    } catch (IOException | RuntimeException e) {
      return; // not Linux
    }
    for (long tid : tids) {
      Optional<String> name = jvmThreadNames.computeIfAbsent(tid, CpuRecorder::jvmThreadName);
      if (name.isEmpty()) {
        continue;
      }
      long cpu = runNanos(tid);
      if (cpu < 0) {
        continue;
      }
      Track track = jvmThreads.get(tid);
      if (track == null) {
        track = new Track(name.get(), null, baseline ? cpu : 0);
        jvmThreads.put(tid, track);
      }
      track.last = cpu;
    }
  }

  /** The JVM's own threads, by their Linux names; Java threads are read through the JVM. */
  private static Optional<String> jvmThreadName(long tid) {
    try {
      String comm = Files.readString(TASKS.resolve(Long.toString(tid)).resolve("comm")).strip();
      return ThreadParts.isJvmInternal(comm) ? Optional.of(comm) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Nanoseconds thread {@code tid} has run, from the scheduler's statistics; -1 if gone. */
  private static long runNanos(long tid) {
    try {
      String schedstat = Files.readString(TASKS.resolve(Long.toString(tid)).resolve("schedstat"));
      return Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private void samplePostgres(boolean baseline) {
    Optional<ProcessHandle> postmaster = ProcessCpu.postmaster(postgresDataDir);
    if (postmaster.isEmpty()) {
      return;
    }
    try (Stream<ProcessHandle> processes =
        Stream.concat(Stream.of(postmaster.get()), postmaster.get().descendants())) {
      processes.forEach(
          process -> {
            long cpu = ProcessCpu.nanos(process.pid());
            Track track = postgresProcesses.get(process.pid());
            if (track == null) {
              track =
                  new Track(PostgresProcessKind.of(title(process.pid())), null, baseline ? cpu : 0);
              postgresProcesses.put(process.pid(), track);
            }
            // A process that ended meanwhile reads as 0: keep what it had used.
            track.last = Math.max(track.last, cpu);
          });
    }
  }

  private static String title(long pid) {
    try {
      return new String(
              Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
              StandardCharsets.UTF_8)
          .replace('\0', ' ')
          .strip();
    } catch (IOException e) {
      return "";
    }
  }

  private long jvmNanos() {
    OperatingSystemMXBean bean = os;
    return bean == null ? 0 : bean.getProcessCpuTime();
  }

  private CpuBreakdown breakdown() {
    Duration window = Duration.ofNanos(System.nanoTime() - startWallNanos);
    long jvm = jvmNanos() - startJvmNanos;
    List<String> names = new ArrayList<>();
    javaThreads.values().forEach(track -> names.add(track.name));
    ThreadParts parts = new ThreadParts(ThreadParts.streamsApplications(names));
    Map<ThreadParts.Part, Long> byPart = new LinkedHashMap<>();
    Map<String, Long> other = new LinkedHashMap<>();
    for (Track track : javaThreads.values()) {
      ThreadParts.Part part = parts.of(track.name, track.group);
      long used = track.last - track.first;
      byPart.merge(part, used, Long::sum);
      if (part.equals(ThreadParts.OTHER_THREADS)) {
        other.merge(ThreadParts.folded(track.name), used, Long::sum);
      }
    }
    for (Track track : jvmThreads.values()) {
      byPart.merge(parts.of(track.name, null), track.last - track.first, Long::sum);
    }
    Map<String, Long> postgres = new LinkedHashMap<>();
    for (Track track : postgresProcesses.values()) {
      postgres.merge(track.name, track.last - track.first, Long::sum);
    }
    return new CpuBreakdown(window, jvm, byPart, other, postgres, memory());
  }

  /** Every live platform thread of the JVM. */
  private static Thread[] liveThreads() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() * 2 + 16];
    int count;
    while ((count = root.enumerate(threads, true)) == threads.length) {
      threads = new Thread[threads.length * 2];
    }
    return Arrays.copyOf(threads, count);
  }

  private static String memory() {
    return String.format(
        "JVM RSS %s (peak %s); load average %s",
        statusField("VmRSS"), statusField("VmHWM"), loadAverage());
  }

  private static String statusField(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name + ":")) {
          long kb = Long.parseLong(line.substring(name.length() + 1).replace("kB", "").trim());
          return (kb / 1024) + " MB";
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return "?";
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0] + " (1 min)";
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
