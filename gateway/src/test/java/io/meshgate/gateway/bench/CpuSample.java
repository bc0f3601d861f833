package io.meshgate.gateway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of one Linux process so far, in total and per thread, read from {@code /proc/<pid>/stat}
 * and {@code /proc/<pid>/task/<tid>/stat}. Where there is no {@code /proc} every figure reads zero.
 *
 * @param nanoTime when the sample was taken ({@link System#nanoTime()})
 * @param processTicks user plus system time of the whole process, ended threads included, in clock
 *     ticks
 * @param threadTicks user plus system time of each live thread by thread id, with its kind
 */
record CpuSample(long nanoTime, long processTicks, Map<Long, ThreadTicks> threadTicks) {

  /** Linux reports times in USER_HZ ticks: 100 per second on every mainstream build. */
  static final double TICKS_PER_SECOND = 100.0;

  /** A live thread's CPU time so far. */
  record ThreadTicks(ThreadKind kind, long ticks) {}

  /**
   * CPU used between two samples.
   *
   * @param seconds wall time between them
   * @param processSeconds CPU seconds of the whole process
   * @param byKind CPU seconds per thread kind; {@link ThreadKind#ENDED} holds what the live threads
   *     do not explain
   */
  record Usage(double seconds, double processSeconds, Map<ThreadKind, Double> byKind) {

    static final Usage NONE = new Usage(0, 0, Map.of());

    /**
     * This usage with {@code seconds} of the {@link ThreadKind#ENDED} threads' CPU known to be of
     * {@code kind}.
     */
    Usage withEnded(ThreadKind kind, double seconds) {
      Map<ThreadKind, Double> moved = new EnumMap<>(ThreadKind.class);
      moved.putAll(byKind);
      moved.merge(kind, seconds, Double::sum);
      moved.put(ThreadKind.ENDED, Math.max(0, moved.getOrDefault(ThreadKind.ENDED, 0.0) - seconds));
      return new Usage(this.seconds, processSeconds, moved);
    }

    /** Average cores busy. */
    double cores() {
      return seconds == 0 ? 0 : processSeconds / seconds;
    }

    /** CPU seconds of the given kinds together. */
    double seconds(ThreadKind... kinds) {
      double sum = 0;
      for (ThreadKind kind : kinds) {
        sum += byKind.getOrDefault(kind, 0.0);
      }
      return sum;
    }

    /** Average cores busy with the given kinds of threads. */
    double cores(ThreadKind... kinds) {
      return seconds == 0 ? 0 : seconds(kinds) / seconds;
    }
  }

  static CpuSample of(long pid) {
    long now = System.nanoTime();
    Path proc = Path.of("/proc", Long.toString(pid));
    long processTicks = ticks(proc.resolve("stat"));
    Map<Long, ThreadTicks> threads = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
      for (Path task : tasks) {
        String stat = read(task.resolve("stat"));
        if (!stat.isEmpty()) {
          threads.put(
              Long.parseLong(task.getFileName().toString()),
              new ThreadTicks(ThreadKind.of(comm(stat)), ticks(stat)));
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc, or the process is gone: the sample reads zero
    }
    return new CpuSample(now, processTicks, threads);
  }

  static CpuSample ofThisProcess() {
    return of(ProcessHandle.current().pid());
  }

  Usage since(CpuSample earlier) {
    Map<ThreadKind, Double> byKind = new EnumMap<>(ThreadKind.class);
    long explained = 0;
    for (Map.Entry<Long, ThreadTicks> thread : threadTicks.entrySet()) {
      ThreadTicks before = earlier.threadTicks.get(thread.getKey());
      long used = thread.getValue().ticks() - (before == null ? 0 : before.ticks());
      explained += used;
      byKind.merge(thread.getValue().kind(), used / TICKS_PER_SECOND, Double::sum);
    }
    long processUsed = processTicks - earlier.processTicks;
    byKind.put(ThreadKind.ENDED, Math.max(0, processUsed - explained) / TICKS_PER_SECOND);
    return new Usage((nanoTime - earlier.nanoTime) / 1e9, processUsed / TICKS_PER_SECOND, byKind);
  }

  private static long ticks(Path stat) {
    String text = read(stat);
    return text.isEmpty() ? 0 : ticks(text);
  }

  /**
   * utime + stime: fields 14 and 15, counted after the command name, which may hold spaces and
   * parentheses.
   */
  private static long ticks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static String comm(String stat) {
    return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return "";
    }
  }
}
