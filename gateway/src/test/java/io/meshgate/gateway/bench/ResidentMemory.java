package io.meshgate.gateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's resident memory from {@code /proc/<pid>/status}.
 *
 * @param rssKib resident set size now ({@code VmRSS})
 * @param peakKib highest resident set size so far ({@code VmHWM})
 */
record ResidentMemory(long rssKib, long peakKib) {

  static ResidentMemory of(long pid) {
    long rss = 0;
    long peak = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        } else if (line.startsWith("VmHWM:")) {
          peak = kib(line);
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc, or the process is gone
    }
    return new ResidentMemory(rss, peak);
  }

  private static long kib(String line) {
    return Long.parseLong(line.substring(line.indexOf(':') + 1).replace("kB", "").trim());
  }

  @Override
  public String toString() {
    return String.format("%d MiB (peak %d MiB)", rssKib / 1024, peakKib / 1024);
  }
}
