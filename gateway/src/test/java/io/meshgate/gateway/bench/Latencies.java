package io.meshgate.gateway.bench;

import java.util.Arrays;

/**
 * Latencies of one run, kept exactly (a run of a minute at a few thousand requests a second is a
 * few megabytes): percentiles by nearest rank over the sorted samples. HdrHistogram would do the
 * same in constant memory, but it is not on the gateway's test classpath.
 */
final class Latencies {

  private long[] nanos = new long[1 << 14];
  private int count;
  private boolean sorted = true;

  void record(long latencyNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = latencyNanos;
    sorted = false;
  }

  void addAll(Latencies other) {
    if (count + other.count > nanos.length) {
      nanos = Arrays.copyOf(nanos, Math.max(count + other.count, nanos.length * 2));
    }
    System.arraycopy(other.nanos, 0, nanos, count, other.count);
    count += other.count;
    sorted = false;
  }

  int count() {
    return count;
  }

  /**
   * The latency that {@code percent} percent of requests did not exceed, in milliseconds; 0 without
   * samples.
   */
  double percentileMillis(double percent) {
    if (count == 0) {
      return 0;
    }
    sort();
    int rank = (int) Math.ceil(percent / 100.0 * count);
    return nanos[Math.clamp(rank - 1, 0, count - 1)] / 1e6;
  }

  double maxMillis() {
    return percentileMillis(100);
  }

  double meanMillis() {
    if (count == 0) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < count; i++) {
      sum += nanos[i];
    }
    return sum / count / 1e6;
  }

  private void sort() {
    if (!sorted) {
      Arrays.sort(nanos, 0, count);
      sorted = true;
    }
  }
}
