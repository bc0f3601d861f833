package io.meshgate.catalog.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The catalog service's mesh settings ({@code meshgate.*}), named like the products' so one
 * launcher configuration serves all.
 *
 * @param kafkaBootstrapServers Kafka bootstrap servers, e.g. {@code broker1:9092,broker2:9092}
 * @param stateDir where the service keeps local state; the Lucene index lives in {@code
 *     <stateDir>/catalog-index}
 * @param topicPartitions partitions of topics the service creates when missing ({@code
 *     mesh.catalog}, {@code mesh.catalog.deadletter}, {@code mesh.audit.heads})
 * @param topicReplicationFactor replication factor of topics the service creates
 * @param catalog the index consumer's settings ({@code meshgate.catalog.*})
 */
@ConfigurationProperties("meshgate")
public record CatalogServiceProperties(
    String kafkaBootstrapServers,
    Path stateDir,
    @DefaultValue("3") int topicPartitions,
    @DefaultValue("1") short topicReplicationFactor,
    @DefaultValue Catalog catalog) {

  /** The directory of the Lucene index under {@link #stateDir()}. */
  public Path indexDirectory() {
    return stateDir.resolve("catalog-index");
  }

  /**
   * The index consumer's settings.
   *
   * @param commitInterval how often what was applied is committed durably (with its offsets);
   *     everything is also committed on stop
   * @param metricsDiscoveryInterval how often to look for new {@code mesh.<product>.metrics} topics
   * @param searchTimeBudget how long one {@code catalogSearch} may run; past it the hits found so
   *     far are returned with {@code partial: true}
   * @param auditPublicKeys PEM files of the audit store's public keys: an audit head is shown only
   *     if its signature verifies with one of them; none configured, none is shown
   */
  public record Catalog(
      @DefaultValue("PT5S") Duration commitInterval,
      @DefaultValue("PT30S") Duration metricsDiscoveryInterval,
      @DefaultValue("PT2S") Duration searchTimeBudget,
      @DefaultValue List<Path> auditPublicKeys) {}
}
