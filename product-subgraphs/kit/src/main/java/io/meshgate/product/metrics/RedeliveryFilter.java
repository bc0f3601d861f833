package io.meshgate.product.metrics;

import io.meshgate.runtime.events.ChangeEvent;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * Passes each change of a row once: a change whose LSN is not beyond the last one seen for the same
 * row is a redelivery (change capture is at least once) or a replay, and is not measured again. The
 * same guard the read models apply, kept in a changelogged store.
 */
final class RedeliveryFilter implements FixedKeyProcessor<String, ChangeEvent, ChangeEvent> {

  private final String storeName;
  private @Nullable FixedKeyProcessorContext<String, ChangeEvent> context;
  private @Nullable KeyValueStore<String, Long> lastLsn;

  RedeliveryFilter(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, ChangeEvent> context) {
    this.context = context;
    this.lastLsn = context.getStateStore(storeName);
  }

  @Override
  public void process(FixedKeyRecord<String, ChangeEvent> record) {
    if (context == null || lastLsn == null) {
      throw new IllegalStateException("processor used before init");
    }
    String row = record.value().recordKey();
    long lsn = record.value().source().lsn();
    Long seen = lastLsn.get(row);
    if (seen != null && lsn <= seen) {
      return;
    }
    lastLsn.put(row, lsn);
    context.forward(record);
  }
}
