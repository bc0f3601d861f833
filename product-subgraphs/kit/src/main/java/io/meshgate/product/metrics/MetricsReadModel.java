package io.meshgate.product.metrics;

import io.meshgate.product.publish.EventPublisher;
import io.meshgate.runtime.consume.ApplyFailure;
import io.meshgate.runtime.consume.TopicConsumer;
import io.meshgate.runtime.deadletter.PublishException;
import io.meshgate.runtime.events.InvalidEventException;
import io.meshgate.runtime.metrics.MetricCodec;
import io.meshgate.runtime.metrics.WindowedMetric;
import io.meshgate.runtime.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the product's metrics read model from {@code mesh.<product>.metrics}, in its own consumer
 * group ({@code <product>.metrics-read-model}). Each record is a whole window aggregate, so
 * applying a batch again after a crash changes nothing.
 */
public final class MetricsReadModel extends TopicConsumer {

  private static final Logger log = LoggerFactory.getLogger(MetricsReadModel.class);

  private final String product;
  private final MetricCodec codec;
  private final MetricsStore store;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  private final EventPublisher deadLetters;

  /**
   * @param deadLetters where metric records that cannot be applied go
   * @param overrides consumer properties, see {@link TopicConsumer}
   */
  public MetricsReadModel(
      String product,
      MetricCodec codec,
      MetricsStore store,
      EventPublisher deadLetters,
      String bootstrapServers,
      Map<String, Object> overrides) {
    super(
        product + ".metrics-read-model",
        product + ".metrics-read-model",
        List.of(Topics.metrics(product)),
        bootstrapServers,
        overrides);
    this.product = product;
    this.codec = codec;
    this.store = store;
    this.deadLetters = deadLetters;
  }

  /** Old windows expire from the metrics topic by design: a range gone unread loses nothing. */
  @Override
  protected boolean reportsGaps() {
    return false;
  }

  @Override
  protected void deadLetter(ConsumerRecord<String, byte[]> record, ApplyFailure failure)
      throws PublishException {
    deadLetters.deadLetter(failure.deadLetter(product, "metrics-read-model", record));
  }

  /** Metric values applied since start. */
  public long applied() {
    return applied.get();
  }

  /** Records of the metrics topic that were not valid metrics, skipped with a warning. */
  public long rejected() {
    return rejected.get();
  }

  @Override
  protected void process(ConsumerRecords<String, byte[]> records) {
    List<WindowedMetric> metrics = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        WindowedMetric metric = codec.decode(record.value());
        if (metric.product().equals(product)) {
          metrics.add(metric);
        }
      } catch (InvalidEventException e) {
        rejected.incrementAndGet();
        log.warn(
            "{} metrics read model skipped {}/{}@{}: {}",
            product,
            record.topic(),
            record.partition(),
            record.offset(),
            String.join("; ", e.reasons()));
      }
    }
    if (!metrics.isEmpty()) {
      store.apply(metrics);
      applied.addAndGet(metrics.size());
    }
  }
}
