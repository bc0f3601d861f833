package io.meshgate.launcher.fuzz;

import io.meshgate.launcher.embedded.ProcessCpu;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time used so far by the processes that make up the mesh under test: this JVM when the mesh
 * runs embedded in it (plus its embedded Postgres, found through its pid file), or a process given
 * by pid. Linux reports other processes' times in {@code /proc}; elsewhere only this JVM is
 * measured.
 */
public final class CpuMeter {

  private final boolean self;
  private final List<Long> pids;
  private final List<Path> postgresDataDirs;

  private CpuMeter(boolean self, List<Long> pids, List<Path> postgresDataDirs) {
    this.self = self;
    this.pids = List.copyOf(pids);
    this.postgresDataDirs = List.copyOf(postgresDataDirs);
  }

  /**
   * This JVM, and the Postgres server whose data directory is {@code postgresDataDir} if there is
   * one.
   */
  static CpuMeter thisJvm(@org.jspecify.annotations.Nullable Path postgresDataDir) {
    return new CpuMeter(
        true, List.of(), postgresDataDir == null ? List.of() : List.of(postgresDataDir));
  }

  /** The given processes (and their children), e.g. a mesh started with {@code ./meshgate run}. */
  static CpuMeter processes(List<Long> pids) {
    return new CpuMeter(false, pids, List.of());
  }

  /** Whether there is anything to measure: a run against a remote mesh without a pid has not. */
  boolean measures() {
    return self || !pids.isEmpty();
  }

  /** What is measured, for the report. */
  String describe() {
    List<String> parts = new ArrayList<>();
    if (self) {
      parts.add("this JVM");
    }
    pids.forEach(p -> parts.add("pid " + p));
    if (!postgresDataDirs.isEmpty()) {
      parts.add("embedded Postgres");
    }
    return String.join(" + ", parts);
  }

  /** CPU nanoseconds used so far by everything measured. */
  long cpuNanos() {
    long total = 0;
    if (self
        && ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os) {
      total += os.getProcessCpuTime();
    }
    for (long pid : pids) {
      total += withDescendants(ProcessHandle.of(pid));
    }
    for (Path dataDir : postgresDataDirs) {
      total += withDescendants(ProcessCpu.postmaster(dataDir));
    }
    return total;
  }

  /** Cores used on average over {@code millis}. */
  double coresOver(long millis) throws InterruptedException {
    long cpu = cpuNanos();
    long wall = System.nanoTime();
    Thread.sleep(millis);
    return (cpuNanos() - cpu) / (double) Math.max(1, System.nanoTime() - wall);
  }

  private static long withDescendants(Optional<ProcessHandle> process) {
    return process
        .map(
            p ->
                Stream.concat(Stream.of(p), p.descendants())
                    .mapToLong(h -> ProcessCpu.nanos(h.pid()))
                    .sum())
        .orElse(0L);
  }
}
