package io.meshgate.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where the CPU went during a measured window, by part of the mesh: what {@link CpuRecorder}
 * recorded, and the table the benchmarks print. The parts add up to the JVM's total; what no live
 * thread accounts for is the remainder, shown as such.
 *
 * @param window how long the window lasted
 * @param jvmNanos CPU time the whole JVM used in the window (every thread, ended ones included)
 * @param parts CPU time by part ({@link ThreadParts})
 * @param otherThreads CPU time of the threads in {@link ThreadParts#OTHER_THREADS}, by name with
 *     numbers folded
 * @param postgres CPU time of the Postgres server's processes, by {@link PostgresProcessKind}
 * @param memory the JVM's resident memory and the machine's load at the end of the window
 */
record CpuBreakdown(
    Duration window,
    long jvmNanos,
    Map<ThreadParts.Part, Long> parts,
    Map<String, Long> otherThreads,
    Map<String, Long> postgres,
    String memory) {

  /** Parts using less than this many cores are counted in one line, not listed one by one. */
  static final double SMALL_PART_CORES = 0.005;

  /** Postgres process kinds using less are counted, not listed. */
  static final double IDLE_PROCESS_CORES = 0.001;

  private static final int OTHER_THREAD_GROUPS_SHOWN = 8;

  CpuBreakdown {
    parts = Map.copyOf(parts);
    otherThreads = Map.copyOf(otherThreads);
    postgres = Map.copyOf(postgres);
  }

  /** CPU time of the JVM that no part accounts for: threads that ended since last seen. */
  long remainderNanos() {
    return jvmNanos - parts.values().stream().mapToLong(Long::longValue).sum();
  }

  double cores(long nanos) {
    return nanos / (double) Math.max(1, window.toNanos());
  }

  /** The table, each line starting with {@code indent}. */
  String table(String indent) {
    double total = cores(jvmNanos);
    double postgresTotal = cores(postgres.values().stream().mapToLong(Long::longValue).sum());
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "CPU by part over the measured %.1f s, in cores (this JVM %.2f, Postgres %.2f; %s):",
            window.toNanos() / 1e9, total, postgresTotal, memory));
    lines.add("   cores   share  part");
    List<Map.Entry<ThreadParts.Part, Long>> sorted = largestFirst(parts, ThreadParts.Part::label);
    long smallNanos = 0;
    int small = 0;
    for (Map.Entry<ThreadParts.Part, Long> part : sorted) {
      boolean other = part.getKey().equals(ThreadParts.OTHER_THREADS);
      if (!other && cores(part.getValue()) < SMALL_PART_CORES) {
        smallNanos += part.getValue();
        small++;
        continue;
      }
      String label =
          other ? part.getKey().label() + " (" + otherThreadGroups() + ")" : part.getKey().label();
      lines.add(row(part.getValue(), label));
    }
    if (small > 0) {
      lines.add(
          row(
              smallNanos,
              String.format(
                  "%d smaller parts, each under %.3f cores (%s)",
                  small, SMALL_PART_CORES, smallOwners())));
    }
    lines.add(
        row(
            remainderNanos(),
            "remainder: threads that ended during the window (their CPU since last seen), the"
                + " JVM's launcher thread"));
    lines.add(row(jvmNanos, "this JVM in all (the process's CPU time)"));
    lines.add("by owner (cores): " + byOwner());
    lines.add(String.format("Postgres %.3f cores: %s", postgresTotal, postgresKinds()));
    return lines.stream().map(line -> indent + line).collect(Collectors.joining("\n"));
  }

  private String row(long nanos, String label) {
    return String.format(
        "%8.3f  %5.1f%%  %s", cores(nanos), 100.0 * nanos / Math.max(1, jvmNanos), label);
  }

  private String otherThreadGroups() {
    if (otherThreads.isEmpty()) {
      return "none";
    }
    return largestFirst(otherThreads, Function.identity()).stream()
        .limit(OTHER_THREAD_GROUPS_SHOWN)
        .map(e -> String.format("%s %.3f", e.getKey(), cores(e.getValue())))
        .collect(Collectors.joining(", "));
  }

  /** The owners of the parts folded as small, so the line says whose they are. */
  private String smallOwners() {
    return parts.entrySet().stream()
        .filter(e -> !e.getKey().equals(ThreadParts.OTHER_THREADS))
        .filter(e -> cores(e.getValue()) < SMALL_PART_CORES)
        .map(e -> e.getKey().owner())
        .distinct()
        .sorted()
        .collect(Collectors.joining(", "));
  }

  private String byOwner() {
    Map<String, Long> owners = new LinkedHashMap<>();
    parts.forEach((part, nanos) -> owners.merge(part.owner(), nanos, Long::sum));
    return largestFirst(owners, Function.identity()).stream()
        .map(e -> String.format("%s %.2f", e.getKey(), cores(e.getValue())))
        .collect(Collectors.joining(", "));
  }

  /** The kinds of Postgres process, largest first; those that stayed all but idle in a count. */
  private String postgresKinds() {
    if (postgres.isEmpty()) {
      return "?";
    }
    List<String> kinds = new ArrayList<>();
    int idle = 0;
    for (Map.Entry<String, Long> kind : largestFirst(postgres, Function.identity())) {
      if (cores(kind.getValue()) < IDLE_PROCESS_CORES) {
        idle++;
      } else {
        kinds.add(String.format("%s %.3f", kind.getKey(), cores(kind.getValue())));
      }
    }
    if (idle > 0) {
      kinds.add(String.format("%d more kinds under %.3f each", idle, IDLE_PROCESS_CORES));
    }
    return String.join(", ", kinds);
  }

  /** Largest first; equal ones by name, so that the table reads the same way every time. */
  private static <K> List<Map.Entry<K, Long>> largestFirst(
      Map<K, Long> nanos, Function<K, String> name) {
    return nanos.entrySet().stream()
        .sorted(
            Comparator.comparing(Map.Entry<K, Long>::getValue, Comparator.reverseOrder())
                .thenComparing(e -> name.apply(e.getKey())))
        .toList();
  }
}
