package io.meshgate.launcher.fuzz;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time used so far by the processes that make up the mesh under test: this JVM when the mesh runs embedded
 * in it (plus its embedded Postgres, found through its pid file), or a process given by pid. Linux reports
 * other processes' times in {@code /proc}; elsewhere only this JVM is measured.
 */
public final class CpuMeter {

  /** Linux reports process times in USER_HZ ticks, 100 per second on every mainstream build. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final boolean self;
  private final List<Long> pids;
  private final List<Path> postmasterPidFiles;

  private CpuMeter(boolean self, List<Long> pids, List<Path> postmasterPidFiles) {
    this.self = self;
    this.pids = List.copyOf(pids);
    this.postmasterPidFiles = List.copyOf(postmasterPidFiles);
  }

  /** This JVM, and the Postgres server whose data directory is {@code postgresDataDir} if there is one. */
  static CpuMeter thisJvm(@org.jspecify.annotations.Nullable Path postgresDataDir) {
    return new CpuMeter(true, List.of(), postgresDataDir == null ? List.of() : List.of(postgresDataDir
        .resolve("postmaster.pid")));
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
    if (!postmasterPidFiles.isEmpty()) {
      parts.add("embedded Postgres");
    }
    return String.join(" + ", parts);
  }

  /** CPU nanoseconds used so far by everything measured. */
  long cpuNanos() {
    long total = 0;
    if (self && ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      total += os.getProcessCpuTime();
    }
    for (long pid : pids) {
      total += withDescendants(ProcessHandle.of(pid));
    }
    for (Path pidFile : postmasterPidFiles) {
      total += withDescendants(postmaster(pidFile));
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
    return process.map(p -> Stream.concat(Stream.of(p), p.descendants()).mapToLong(h -> ticks(h.pid())).sum()
        * NANOS_PER_TICK).orElse(0L);
  }

  private static Optional<ProcessHandle> postmaster(Path pidFile) {
    try {
      return ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).getFirst().trim()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name may contain spaces; the fields after its closing parenthesis do not.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
