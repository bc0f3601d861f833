package io.meshgate.catalog.index;

import java.time.Duration;

/**
 * How far a rebuild has come.
 *
 * @param records records applied so far
 * @param expectedRecords records the source announced, or -1 when unknown
 * @param elapsed time since the rebuild started
 * @param done true for the final report
 */
public record RebuildProgress(long records, long expectedRecords, Duration elapsed, boolean done) {

  /** Share of the expected records applied, 0 to 1; -1 when the total is unknown. */
  public double fraction() {
    if (expectedRecords < 0) {
      return -1;
    }
    return expectedRecords == 0 ? 1 : Math.min(1.0, (double) records / expectedRecords);
  }

  /** Records applied per second so far. */
  public double recordsPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : records / seconds;
  }
}
