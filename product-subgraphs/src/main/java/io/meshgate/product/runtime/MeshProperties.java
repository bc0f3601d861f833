package io.meshgate.product.runtime;

import java.nio.file.Path;
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
 */
@ConfigurationProperties("meshgate")
public record MeshProperties(
    String kafkaBootstrapServers,
    Path stateDir,
    @DefaultValue("3") int topicPartitions,
    @DefaultValue("1") short topicReplicationFactor,
    @DefaultValue Map<String, String> capture,
    @DefaultValue("true") boolean sampleData) {}
