package io.meshgate.product.runtime;

import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.api.ProductDefinition;
import io.meshgate.product.cdc.CaptureStatus;
import io.meshgate.product.cdc.PostgresChangeCapture;
import io.meshgate.product.cdc.PostgresSource;
import io.meshgate.product.events.ChangeEventCodec;
import io.meshgate.product.events.Topics;
import io.meshgate.product.publish.KafkaEventPublisher;
import io.meshgate.product.readmodel.Projection;
import io.meshgate.product.readmodel.ReadModelConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A product's flow from its database to its read model: change capture publishes to the
 * product's change topics; the read-model consumer applies them. Starts the consumer before
 * the capture, and stops the capture first, so offsets are flushed while the backbone is up.
 */
public final class ProductPipeline implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ProductPipeline.class);

  private final ProductDefinition product;
  private final MeshProperties properties;
  private final PostgresSource source;
  private final DSLContext dsl;
  private final ChangeEventCodec codec;
  private final List<Projection> projections;

  private @Nullable KafkaEventPublisher publisher;
  private @Nullable ReadModelConsumer consumer;
  private @Nullable PostgresChangeCapture capture;
  private volatile boolean running;

  public ProductPipeline(
      ProductDefinition product,
      MeshProperties properties,
      PostgresSource source,
      DSLContext dsl,
      ChangeEventCodec codec,
      List<Projection> projections) {
    this.product = product;
    this.properties = properties;
    this.source = source;
    this.dsl = dsl;
    this.codec = codec;
    this.projections = List.copyOf(projections);
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    List<String> topics = new ArrayList<>();
    for (EntityDefinition entity : product.entities()) {
      topics.add(Topics.changes(product.name(), entity.name()));
    }
    topics.add(Topics.deadLetter(product.name()));
    // Topics of other products this one subscribes to: created if that product has not started
    // yet, so the subscription is in place when its first change arrives.
    for (Projection projection : projections) {
      String topic = ReadModelConsumer.topicOf(product, projection);
      if (!topics.contains(topic)) {
        topics.add(topic);
      }
    }
    KafkaTopics.ensure(properties.kafkaBootstrapServers(), topics,
        properties.topicPartitions(), properties.topicReplicationFactor());

    publisher = new KafkaEventPublisher(product, codec, properties.kafkaBootstrapServers());
    consumer = new ReadModelConsumer(product, product.name() + ".read-model", projections, dsl, codec,
        publisher, properties.kafkaBootstrapServers(), Map.of());
    consumer.start();
    capture = new PostgresChangeCapture(product, source,
        properties.stateDir().resolve(product.name()).resolve("capture-offsets.dat"),
        publisher, properties.capture());
    capture.start();
    running = true;
    log.info("{} pipeline started: capture -> {} -> read model", product.name(),
        String.join(", ", topics.subList(0, product.entities().size())));
  }

  @Override
  public synchronized void stop() {
    if (capture != null) {
      capture.close();
    }
    if (consumer != null) {
      consumer.close();
    }
    if (publisher != null) {
      publisher.close();
    }
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** The capture's state, for health checks. */
  public CaptureStatus captureStatus() {
    PostgresChangeCapture current = capture;
    return current == null ? new CaptureStatus(CaptureStatus.State.STOPPED, 0, null) : current.status();
  }

  /** Events the read model consumed since start. */
  public long readModelApplied() {
    ReadModelConsumer current = consumer;
    return current == null ? 0 : current.applied();
  }

  /** Events the read model sent to the dead-letter topic since start. */
  public long readModelRejected() {
    ReadModelConsumer current = consumer;
    return current == null ? 0 : current.rejected();
  }
}
