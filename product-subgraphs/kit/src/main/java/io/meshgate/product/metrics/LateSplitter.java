package io.meshgate.product.metrics;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.jspecify.annotations.Nullable;

/**
 * Marks the points whose window has already closed: its end is at or before the task's stream time
 * minus the grace period. That is exactly when a windowed aggregation would drop a record, so the
 * marked points can be counted apart instead of silently lost. Runs in the same task as the
 * aggregation, so both see the same stream time.
 */
final class LateSplitter implements FixedKeyProcessor<String, MetricPoint, MetricPoint> {

  private final long windowMillis;
  private final long graceMillis;
  private @Nullable FixedKeyProcessorContext<String, MetricPoint> context;

  LateSplitter(long windowMillis, long graceMillis) {
    this.windowMillis = windowMillis;
    this.graceMillis = graceMillis;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, MetricPoint> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, MetricPoint> record) {
    FixedKeyProcessorContext<String, MetricPoint> current = context;
    if (current == null) {
      throw new IllegalStateException("processor used before init");
    }
    long windowEnd = MetricsTopology.windowStart(record.timestamp(), windowMillis) + windowMillis;
    boolean late = windowEnd <= current.currentStreamTimeMs() - graceMillis;
    current.forward(late ? record.withValue(record.value().asLate()) : record);
  }
}
