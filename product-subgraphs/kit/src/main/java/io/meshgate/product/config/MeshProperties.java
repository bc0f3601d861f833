package io.meshgate.product.config;

import io.meshgate.runtime.consume.TopicConsumer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A data product's mesh settings ({@code meshgate.*}). The database itself is Spring's {@code
 * spring.datasource.*}.
 *
 * @param kafkaBootstrapServers Kafka bootstrap servers, e.g. {@code broker1:9092,broker2:9092}
 * @param stateDir where the product keeps local state (capture offsets)
 * @param topicPartitions partitions of topics the product creates
 * @param topicReplicationFactor replication factor of topics the product creates
 * @param capture Debezium engine properties overriding the defaults
 * @param sampleData load the product's sample data on first start
 * @param metrics the product's stream processors
 * @param catalog the product's catalog publication
 * @param consumer how the product's topic consumers retry a record before setting it aside
 */
@ConfigurationProperties("meshgate")
public record MeshProperties(
    String kafkaBootstrapServers,
    Path stateDir,
    @DefaultValue("3") int topicPartitions,
    @DefaultValue("1") short topicReplicationFactor,
    @DefaultValue Map<String, String> capture,
    @DefaultValue("true") boolean sampleData,
    @DefaultValue Metrics metrics,
    @DefaultValue Catalog catalog,
    @DefaultValue Consumer consumer) {

  /**
   * The topic consumers' settings ({@code meshgate.consumer.*}): read models and metrics read
   * model.
   *
   * @param maxAttempts times in a row a record may fail to apply (for a reason of its own, not an
   *     outage) before it goes to the product's dead-letter topic
   * @param retryBackoff first pause before a retry; it doubles up to 10 s
   */
  public record Consumer(
      @DefaultValue("5") int maxAttempts, @DefaultValue("PT0.2S") Duration retryBackoff) {

    /** These settings as {@link io.meshgate.runtime.consume.TopicConsumer} overrides. */
    public Map<String, Object> overrides() {
      return Map.of(
          TopicConsumer.MAX_ATTEMPTS,
          maxAttempts,
          TopicConsumer.RETRY_BACKOFF_MS,
          (int) Math.max(1, retryBackoff.toMillis()));
    }
  }

  /**
   * The stream processors' settings ({@code meshgate.metrics.*}).
   *
   * @param enabled run the product's metric processors and serve their results
   * @param window size of the tumbling event-time windows
   * @param grace how long after its end a window still takes events in time; later ones are counted
   *     as the window's late part
   */
  public record Metrics(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("PT1M") Duration window,
      @DefaultValue("PT10S") Duration grace) {}

  /**
   * The catalog publication's settings ({@code meshgate.catalog.*}).
   *
   * @param enabled publish the product's catalog to {@code mesh.catalog}
   * @param interval how often changed entries (schema, metrics) are published again
   */
  public record Catalog(
      @DefaultValue("true") boolean enabled, @DefaultValue("PT1M") Duration interval) {}
}
