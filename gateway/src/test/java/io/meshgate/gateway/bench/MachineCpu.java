package io.meshgate.gateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * All CPUs of the machine so far, from the first line of {@code /proc/stat}: how busy the box was
 * while the gateway, its subgraphs and the load generator shared it.
 *
 * @param nanoTime when the sample was taken
 * @param busyTicks ticks spent on anything but idle and I/O wait, all CPUs together
 * @param stealTicks ticks the hypervisor gave to other guests
 */
record MachineCpu(long nanoTime, long busyTicks, long stealTicks) {

  static MachineCpu sample() {
    long now = System.nanoTime();
    try (var lines = Files.lines(Path.of("/proc/stat"))) {
      String[] fields = lines.findFirst().orElse("cpu").trim().split("\\s+");
      long busy = 0;
      long steal = 0;
      // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is already
      // in user.
      for (int i = 1; i < Math.min(fields.length, 9); i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(fields[i]);
        }
        if (i == 8) {
          steal = Long.parseLong(fields[i]);
        }
      }
      return new MachineCpu(now, busy - steal, steal);
    } catch (IOException | RuntimeException e) {
      return new MachineCpu(now, 0, 0);
    }
  }

  /** Average cores busy since {@code earlier}. */
  double coresSince(MachineCpu earlier) {
    double seconds = (nanoTime - earlier.nanoTime) / 1e9;
    return seconds <= 0
        ? 0
        : (busyTicks - earlier.busyTicks) / CpuSample.TICKS_PER_SECOND / seconds;
  }

  /** Average cores taken by other guests since {@code earlier}. */
  double stealCoresSince(MachineCpu earlier) {
    double seconds = (nanoTime - earlier.nanoTime) / 1e9;
    return seconds <= 0
        ? 0
        : (stealTicks - earlier.stealTicks) / CpuSample.TICKS_PER_SECOND / seconds;
  }
}
