package io.meshgate.launcher.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CPU time of other processes as Linux reports it in {@code /proc}, and the embedded Postgres
 * server found through its pid file: what the benchmarks and the fuzz harness measure besides their
 * own JVM. Elsewhere than on Linux every process reads as zero.
 *
 * <p>It lives beside the embedded server rather than with the benchmarks because the fuzz harness
 * in the launcher's tests measures the same processes, and the benchmarks module depends on the
 * launcher, not the other way round.
 */
public final class ProcessCpu {

  /** Linux reports process times in USER_HZ ticks, 100 per second on every mainstream build. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private ProcessCpu() {}

  /** User plus system CPU nanoseconds process {@code pid} has used so far; 0 if unknown. */
  public static long nanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name may contain spaces; the fields after its closing parenthesis do not.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The Postgres server whose data directory is {@code dataDir}, while it runs. */
  public static Optional<ProcessHandle> postmaster(Path dataDir) {
    try {
      String firstLine = Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().trim();
      return ProcessHandle.of(Long.parseLong(firstLine));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
