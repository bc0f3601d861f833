package io.meshgate.runtime.consume;

import java.time.Instant;

/**
 * Offsets of a partition that a consumer was due to read next but that are no longer in the log
 * (retention or a deletion removed them before they were read): the records there were never
 * applied and never will be.
 *
 * @param topic the topic
 * @param partition the partition
 * @param fromOffset first offset missing
 * @param toOffset last offset missing (inclusive)
 * @param detectedAt when the consumer found it
 */
public record OffsetGap(
    String topic, int partition, long fromOffset, long toOffset, Instant detectedAt) {

  public OffsetGap {
    if (fromOffset < 0 || toOffset < fromOffset) {
      throw new IllegalArgumentException("not a gap: offsets " + fromOffset + ".." + toOffset);
    }
  }

  /** How many offsets are missing. */
  public long size() {
    return toOffset - fromOffset + 1;
  }

  @Override
  public String toString() {
    return topic + "/" + partition + " offsets " + fromOffset + ".." + toOffset;
  }
}
