package io.meshgate.bench;

/**
 * An open-loop schedule: change {@code i} is due at {@code start + i / rate}, whether or not the
 * system kept up with the ones before, so a slow system shows up as latency rather than as a lower
 * offered rate.
 *
 * @param firstSeq sequence number of the first change
 * @param count how many changes
 * @param startNanos when the first change is due, on the {@link ChangeTimeline} clock
 * @param rate changes per second
 */
record Schedule(long firstSeq, long count, long startNanos, int rate) {

  /** When change {@code i} (0-based within this schedule) is due. */
  long dueAt(long i) {
    return startNanos + Math.round(i * 1_000_000_000.0 / rate);
  }

  /** One past the last sequence number. */
  long endSeq() {
    return firstSeq + count;
  }
}
