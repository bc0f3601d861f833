package io.meshgate.product.metrics;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;

/** The Kafka Streams settings of a product's metric processors. */
public final class MetricsStreams {

  private MetricsStreams() {}

  /** The Streams application id of a product's metrics: also the prefix of its internal topics. */
  public static String applicationId(String product) {
    return product + ".metrics";
  }

  /** The product whose metrics the Streams application {@code applicationId} computes. */
  public static String product(String applicationId) {
    return applicationId.endsWith(".metrics")
        ? applicationId.substring(0, applicationId.length() - ".metrics".length())
        : applicationId;
  }

  /**
   * Settings for the metric processors of {@code product}.
   *
   * @param bootstrapServers Kafka bootstrap servers
   * @param stateDir where the processors keep local state (rebuilt from changelogs when lost)
   */
  public static Properties properties(String product, String bootstrapServers, Path stateDir) {
    Properties properties = new Properties();
    properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(product));
    properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    // A redelivered or reprocessed change must not be counted twice: aggregates, their
    // changelogs and the published metrics commit together.
    properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // In-memory stores, restored from their changelog topics on start.
    properties.put(
        StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG,
        BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
    properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    // One transaction a second rather than exactly-once's default ten: metrics are per minute,
    // and every product runs its own processors on the same cores as everything else.
    properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
    properties.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    // A record a processor fails on goes to the product's dead-letter topic instead of failing
    // the thread, whose replacement would read it again forever.
    properties.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, MetricsDeadLetters.class);
    properties.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, MetricsDeadLetters.class);
    // The same for the global tables the enrichment reads (the default from Kafka 5; until then
    // Kafka Streams warns at every start that it is off).
    properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    // The partition assignor rebuilds a Streams configuration from the main consumer's settings
    // alone, and warns again unless the setting reaches it there too.
    properties.put(
        StreamsConfig.mainConsumerPrefix(
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
        true);
    return properties;
  }
}
