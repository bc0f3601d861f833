package io.meshgate.launcher.fuzz;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What one fuzz run saw: answers per endpoint and status, the slowest answer, the probe, the CPU
 * afterwards and every class of violation with its first example.
 *
 * @param statuses per endpoint, how many answers had each status ({@code timeout} and {@code no
 *     answer} too)
 * @param categories how many operations of each category were sent
 * @param violations one entry per class of violation, in the order first seen
 * @param notes what limited the run (an endpoint that refused introspection)
 * @param fuzzing time from the first operation to the last answer
 * @param total the whole run, introspection and CPU measurements included
 */
public record FuzzReport(
    FuzzConfig config,
    List<Target> targets,
    Map<String, Map<String, Long>> statuses,
    Map<Category, Long> categories,
    Longest longest,
    ProbeStats probe,
    CpuStats cpu,
    List<ViolationClass> violations,
    List<String> notes,
    Duration fuzzing,
    Duration total) {

  /** The slowest answer (or hang) of the run. */
  public record Longest(long millis, int index, String target, String category, String variant) {}

  /** CPU at rest before the run and in each window after it. */
  public record CpuStats(
      String measured,
      double before,
      List<Double> after,
      boolean idle,
      double margin,
      Duration window) {}

  /** Probe answers per endpoint and the slowest. */
  public record ProbeStats(Map<String, Long> count, Map<String, Long> maxMillis, long failures) {

    /** Collects probe answers from the probe thread. */
    static final class Builder {
      private final Map<String, Long> count = new TreeMap<>();
      private final Map<String, Long> max = new TreeMap<>();
      private final List<Violation> violations = new ArrayList<>();

      synchronized void add(String target, long millis, @Nullable Violation violation) {
        count.merge(target, 1L, Long::sum);
        max.merge(target, millis, Math::max);
        if (violation != null) {
          violations.add(violation);
        }
      }

      synchronized String summary() {
        return "slowest probe "
            + max.values().stream().mapToLong(Long::longValue).max().orElse(0)
            + " ms, "
            + violations.size()
            + " probe failures";
      }

      synchronized List<Violation> violations() {
        return List.copyOf(violations);
      }

      synchronized ProbeStats build() {
        return new ProbeStats(Map.copyOf(count), Map.copyOf(max), violations.size());
      }
    }
  }

  /**
   * All violations of one class: how many, the first, and the indexes of the first few to replay.
   */
  public static final class ViolationClass {
    private final Violation first;
    private long count;
    private final List<Integer> indexes = new ArrayList<>();

    ViolationClass(Violation first) {
      this.first = first;
    }

    void add(Violation v) {
      count++;
      if (indexes.size() < 10 && v.index() >= 0) {
        indexes.add(v.index());
      }
    }

    public Violation first() {
      return first;
    }

    public long count() {
      return count;
    }

    public List<Integer> indexes() {
      return List.copyOf(indexes);
    }

    @Override
    public String toString() {
      return first.classKey() + " x" + count;
    }
  }

  /** Every violation of the run. */
  public long violationCount() {
    return violations.stream().mapToLong(ViolationClass::count).sum();
  }

  /** Prints the summary tables and every violation class with an example to replay. */
  public void print(PrintStream out) {
    long sent = categories.values().stream().mapToLong(Long::longValue).sum();
    out.printf(
        "%nMeshgate fuzz: seed %d, %,d operations (%,d sent), concurrency %d, %.1f s of fuzzing,"
            + " %.1f s in all%n",
        config.seed(),
        config.operations(),
        sent,
        config.concurrency(),
        fuzzing.toMillis() / 1000.0,
        total.toMillis() / 1000.0);
    notes.forEach(n -> out.println("note: " + n));
    TreeSet<String> columns = new TreeSet<>();
    statuses.values().forEach(m -> columns.addAll(m.keySet()));
    StringBuilder header = new StringBuilder(String.format("%n%-14s %9s", "endpoint", "requests"));
    columns.forEach(c -> header.append(String.format(" %10s", c)));
    out.println(header);
    Map<String, Long> totals = new TreeMap<>();
    for (Map.Entry<String, Map<String, Long>> e : statuses.entrySet()) {
      long requests = e.getValue().values().stream().mapToLong(Long::longValue).sum();
      StringBuilder row = new StringBuilder(String.format("%-14s %,9d", e.getKey(), requests));
      columns.forEach(c -> row.append(String.format(" %,10d", e.getValue().getOrDefault(c, 0L))));
      out.println(row);
      e.getValue().forEach((k, v) -> totals.merge(k, v, Long::sum));
    }
    StringBuilder all = new StringBuilder(String.format("%-14s %,9d", "all", sent));
    columns.forEach(c -> all.append(String.format(" %,10d", totals.getOrDefault(c, 0L))));
    out.println(all);
    out.printf("%noperations by category: %s%n", categories);
    out.printf(
        "longest answer: %,d ms, operation %d (%s, %s) on %s%n",
        longest.millis(), longest.index(), longest.category(), longest.variant(), longest.target());
    out.printf(
        "probe ({ __typename } every %d ms, limit %d ms): answers %s, slowest (ms) %s, failures"
            + " %d%n",
        config.probeInterval().toMillis(),
        config.probeLimit().toMillis(),
        probe.count(),
        probe.maxMillis(),
        probe.failures());
    out.printf(
        "CPU (%s): %.3f cores at rest before the run; after it (%d s windows, %.1f s settle) %s ->"
            + " %s%n",
        cpu.measured(),
        cpu.before(),
        cpu.window().toSeconds(),
        config.settle().toMillis() / 1000.0,
        cpu.after().stream().map(c -> String.format("%.3f", c)).toList(),
        cpu.idle()
            ? "back to rest (within " + cpu.margin() + " cores of before)"
            : "NOT back to rest");
    out.printf("%nviolations: %,d in %d classes%n", violationCount(), violations.size());
    for (ViolationClass c : violations) {
      Violation v = c.first();
      out.printf("%n  [%s] %s: %s  x%,d%n", v.kind(), v.target(), v.detail(), c.count());
      if (v.index() >= 0) {
        out.printf(
            "    replay: seed %d, operation %d (first of %s)%n",
            config.seed(), v.index(), c.indexes());
      }
      out.printf("    sent:   %s%n    answer: %s%n", v.request(), v.answer());
    }
    out.println(
        violations.isEmpty() ? "\nfuzz: no violations." : "\nfuzz: VIOLATIONS FOUND (see above).");
  }
}
