package io.meshgate.product.runtime;

import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.api.ProductDefinition;
import io.meshgate.product.cdc.CaptureStatus;
import io.meshgate.product.cdc.PostgresChangeCapture;
import io.meshgate.product.cdc.PostgresSource;
import io.meshgate.product.config.MeshProperties;
import io.meshgate.product.publish.KafkaEventPublisher;
import io.meshgate.product.readmodel.Projection;
import io.meshgate.product.readmodel.ReadModelConsumer;
import io.meshgate.runtime.events.ChangeEventCodec;
import io.meshgate.runtime.topics.KafkaTopics;
import io.meshgate.runtime.topics.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A product's flow from its database to its read model: change capture publishes to the product's
 * change topics; the read-model consumer applies them. Starts the consumer before the capture, and
 * stops the capture first, so offsets are flushed while the backbone is up.
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
  private final List<ReadModelConsumer> consumers = new ArrayList<>();
  private final Map<String, ReadModelConsumer> consumersBySource = new LinkedHashMap<>();
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
    KafkaTopics.ensure(
        properties.kafkaBootstrapServers(),
        topics,
        properties.topicPartitions(),
        properties.topicReplicationFactor());

    publisher = new KafkaEventPublisher(product, codec, properties.kafkaBootstrapServers());
    // One consumer group for the product's own read model, and one per product it subscribes
    // to: each catches up on its own, and a slow or failing subscription never holds up the
    // product's own read model.
    Map<String, List<Projection>> bySource = new LinkedHashMap<>();
    for (Projection projection : projections) {
      String source = projection.sourceProduct();
      bySource
          .computeIfAbsent(source == null ? "" : source, s -> new ArrayList<>())
          .add(projection);
    }
    for (Map.Entry<String, List<Projection>> group : bySource.entrySet()) {
      String groupId =
          group.getKey().isEmpty()
              ? product.name() + ".read-model"
              : product.name() + ".from-" + group.getKey();
      ReadModelConsumer started =
          new ReadModelConsumer(
              product,
              groupId,
              group.getValue(),
              dsl,
              codec,
              publisher,
              properties.kafkaBootstrapServers(),
              properties.consumer().overrides());
      started.start();
      consumers.add(started);
      consumersBySource.put(group.getKey(), started);
    }
    capture =
        new PostgresChangeCapture(
            product,
            source,
            properties.stateDir().resolve(product.name()).resolve("capture-offsets.dat"),
            publisher,
            properties.capture());
    capture.start();
    running = true;
    log.info(
        "{} pipeline started: capture -> {} -> read model",
        product.name(),
        String.join(", ", topics.subList(0, product.entities().size())));
  }

  @Override
  public synchronized void stop() {
    if (capture != null) {
      capture.close();
    }
    consumers.forEach(ReadModelConsumer::close);
    consumers.clear();
    consumersBySource.clear();
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
    return current == null
        ? new CaptureStatus(CaptureStatus.State.STOPPED, 0, null)
        : current.status();
  }

  /** Events the product's consumers applied since start. */
  public synchronized long readModelApplied() {
    return consumers.stream().mapToLong(ReadModelConsumer::applied).sum();
  }

  /** Events of another product ({@code source}) this product's subscription applied since start. */
  public synchronized long appliedFrom(String source) {
    ReadModelConsumer consumer = consumersBySource.get(source);
    return consumer == null ? 0 : consumer.applied();
  }

  /** Events the product's consumers sent to the dead-letter topic since start. */
  public synchronized long readModelRejected() {
    return consumers.stream().mapToLong(ReadModelConsumer::rejected).sum();
  }
}
