package io.meshgate.bench;

import com.sun.management.OperatingSystemMXBean;
import io.meshgate.launcher.embedded.ProcessCpu;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU used by this JVM's threads and by the embedded Postgres server's processes, and this JVM's
 * resident memory, so a run shows which part of the mesh is busy. Postgres and memory figures come
 * from {@code /proc}; elsewhere than Linux they read as zero.
 *
 * @param wallNanos when the sample was taken ({@link System#nanoTime()})
 * @param jvmCpuNanos CPU time of this JVM so far
 * @param jvmThreads CPU time so far by thread group (thread name with numbers folded), live threads
 *     only
 * @param postgres CPU time so far by kind of Postgres process, live processes only
 */
record ProcessStats(
    long wallNanos, long jvmCpuNanos, Map<String, Long> jvmThreads, Map<String, Long> postgres) {

  private static final int TOP_THREAD_GROUPS = 8;

  /**
   * @param postgresDataDir the embedded server's data directory; pg_ctl detaches the postmaster
   *     from this JVM, so it is found through its pid file rather than among this process's
   *     children
   */
  static ProcessStats sample(Path postgresDataDir) {
    long jvm =
        ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
            ? os.getProcessCpuTime()
            : 0;
    return new ProcessStats(System.nanoTime(), jvm, threadCpu(), postgresCpu(postgresDataDir));
  }

  /** CPU cores used between {@code earlier} and this sample, by whom, and memory now. */
  String since(ProcessStats earlier) {
    double seconds = Math.max(1, wallNanos - earlier.wallNanos) / 1e9;
    Map<String, Double> threads = cores(jvmThreads, earlier.jvmThreads, seconds);
    Map<String, Double> processes = cores(postgres, earlier.postgres, seconds);
    return String.format(
        "CPU: this JVM (mesh and harness) %.2f cores, Postgres %.2f cores; JVM RSS %s (peak %s);"
            + " load average %s%n  busiest JVM threads (cores): %s%n  Postgres processes (cores):"
            + " %s",
        (jvmCpuNanos - earlier.jvmCpuNanos) / 1e9 / seconds,
        processes.values().stream().mapToDouble(Double::doubleValue).sum(),
        statusField("VmRSS"),
        statusField("VmHWM"),
        loadAverage(),
        describe(threads, TOP_THREAD_GROUPS),
        describe(processes, Integer.MAX_VALUE));
  }

  private static Map<String, Long> threadCpu() {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    if (!bean.isThreadCpuTimeSupported()) {
      return Map.of();
    }
    Map<String, Long> byGroup = new LinkedHashMap<>();
    long[] ids = bean.getAllThreadIds();
    ThreadInfo[] infos = bean.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      long cpu = bean.getThreadCpuTime(ids[i]);
      if (infos[i] != null && cpu > 0) {
        byGroup.merge(group(infos[i].getThreadName()), cpu, Long::sum);
      }
    }
    return byGroup;
  }

  /**
   * Folds numbers so that a pool reads as one: {@code pool-3-thread-1} -> {@code pool-N-thread-N}.
   */
  private static String group(String threadName) {
    return threadName.replaceAll("\\d+(\\.\\d+)*", "N");
  }

  private static Map<String, Long> postgresCpu(Path dataDir) {
    Map<String, Long> byKind = new LinkedHashMap<>();
    ProcessCpu.postmaster(dataDir)
        .ifPresent(
            postmaster ->
                Stream.concat(Stream.of(postmaster), postmaster.descendants())
                    .forEach(
                        p -> byKind.merge(kind(p.pid()), ProcessCpu.nanos(p.pid()), Long::sum)));
    return byKind;
  }

  /** What a Postgres process does, from the title it sets ({@code postgres: walwriter}, ...). */
  private static String kind(long pid) {
    String title;
    try {
      title =
          new String(
                  Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                  StandardCharsets.UTF_8)
              .replace('\0', ' ')
              .trim();
    } catch (IOException e) {
      return "other";
    }
    if (!title.startsWith("postgres: ")) {
      return "postmaster";
    }
    if (title.contains("walsender")) {
      return "walsender (logical decoding)";
    }
    if (title.contains("(")) {
      return "client backends";
    }
    return title.substring("postgres: ".length()).split(" ")[0];
  }

  /** Cores used per key between the samples; keys gone since, or new and idle, drop out. */
  private static Map<String, Double> cores(
      Map<String, Long> now, Map<String, Long> before, double seconds) {
    return now.entrySet().stream()
        .map(
            e ->
                Map.entry(
                    e.getKey(),
                    (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1e9 / seconds))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }

  private static String describe(Map<String, Double> cores, int limit) {
    if (cores.isEmpty()) {
      return "?";
    }
    List<String> parts =
        cores.entrySet().stream()
            .limit(limit)
            .map(e -> String.format("%s %.2f", e.getKey(), e.getValue()))
            .toList();
    return String.join(", ", parts);
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
