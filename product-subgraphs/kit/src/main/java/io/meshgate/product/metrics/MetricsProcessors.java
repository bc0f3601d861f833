package io.meshgate.product.metrics;

import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.api.ProductDefinition;
import io.meshgate.product.config.MeshProperties;
import io.meshgate.product.publish.KafkaEventPublisher;
import io.meshgate.runtime.events.ChangeEventCodec;
import io.meshgate.runtime.metrics.MetricCodec;
import io.meshgate.runtime.topics.KafkaTopics;
import io.meshgate.runtime.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a product's stream processors ({@link MetricsTopology} on Kafka Streams) and the read model
 * of their results.
 */
public final class MetricsProcessors implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(MetricsProcessors.class);

  private final ProductDefinition product;
  private final MeshProperties properties;
  private final ChangeEventCodec codec;
  private final MetricCodec metricCodec;
  private final MetricsStore store;
  private @Nullable KafkaStreams streams;
  private @Nullable MetricsReadModel readModel;
  private @Nullable KafkaEventPublisher deadLetters;

  public MetricsProcessors(
      ProductDefinition product,
      MeshProperties properties,
      ChangeEventCodec codec,
      MetricCodec metricCodec,
      MetricsStore store) {
    this.product = product;
    this.properties = properties;
    this.codec = codec;
    this.metricCodec = metricCodec;
    this.store = store;
  }

  @Override
  public synchronized void start() {
    if (streams != null) {
      return;
    }
    List<String> topics = new ArrayList<>();
    for (EntityDefinition entity : product.entities()) {
      topics.add(Topics.changes(product.name(), entity.name()));
    }
    topics.add(Topics.metrics(product.name()));
    topics.add(Topics.deadLetter(product.name()));
    KafkaTopics.ensure(
        properties.kafkaBootstrapServers(),
        topics,
        properties.topicPartitions(),
        properties.topicReplicationFactor());

    MeshProperties.Metrics settings = properties.metrics();
    MetricsTopology topology =
        new MetricsTopology(
            product, codec, metricCodec, settings.window(), settings.grace(), Clock.systemUTC());
    Properties config =
        MetricsStreams.properties(
            product.name(),
            properties.kafkaBootstrapServers(),
            properties.stateDir().resolve(product.name()).resolve("streams"));
    config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) properties.topicReplicationFactor());
    KafkaStreams started = new KafkaStreams(topology.build(config), config);
    started.setUncaughtExceptionHandler(
        error -> {
          log.error("{} metrics processor failed; replacing its thread", product.name(), error);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    started.start();
    streams = started;
    deadLetters = new KafkaEventPublisher(product, codec, properties.kafkaBootstrapServers());
    MetricsReadModel metricsReadModel =
        new MetricsReadModel(
            product.name(),
            metricCodec,
            store,
            deadLetters,
            properties.kafkaBootstrapServers(),
            properties.consumer().overrides());
    metricsReadModel.start();
    readModel = metricsReadModel;
    log.info(
        "{} metrics started: {} windows, {} grace -> {}",
        product.name(),
        settings.window(),
        settings.grace(),
        Topics.metrics(product.name()));
  }

  @Override
  public synchronized void stop() {
    if (readModel != null) {
      readModel.close();
      readModel = null;
    }
    if (deadLetters != null) {
      deadLetters.close();
      deadLetters = null;
    }
    if (streams != null) {
      // Leave the group: a restarted mesh gets its partitions at once instead of after the
      // session timeout of the member it replaces.
      streams.close(
          CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
              .withTimeout(Duration.ofSeconds(15)));
      streams = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return streams != null;
  }

  /** The processors' Kafka Streams state, for health checks and tests. */
  public synchronized KafkaStreams.@Nullable State state() {
    return streams == null ? null : streams.state();
  }

  /** Metric values the read model applied since start. */
  public synchronized long applied() {
    return readModel == null ? 0 : readModel.applied();
  }
}
