package io.meshgate.audit.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A range of a product's change topic that the audit log never saw: retention or a deletion removed
 * it from Kafka before it was read, so the changes there are missing from the product's log.
 *
 * @param product the product whose change topic it is
 * @param topic the change topic
 * @param partition the topic's partition
 * @param fromOffset first offset missing
 * @param toOffset last offset missing (inclusive)
 * @param detectedAt when the audit consumer found it (microseconds, as stored)
 */
public record SourceGap(
    String product,
    String topic,
    int partition,
    long fromOffset,
    long toOffset,
    Instant detectedAt) {

  public SourceGap {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(topic, "topic");
    if (fromOffset < 0 || toOffset < fromOffset) {
      throw new IllegalArgumentException("not a gap: offsets " + fromOffset + ".." + toOffset);
    }
    detectedAt = detectedAt.truncatedTo(ChronoUnit.MICROS);
  }

  /** How many offsets are missing. */
  public long size() {
    return toOffset - fromOffset + 1;
  }
}
