package io.meshgate.catalog.service;

import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the enterprise catalog service: the door for a launcher.
 *
 * <p>Properties a caller gives ({@link #start}):
 *
 * <ul>
 *   <li>{@code meshgate.kafka-bootstrap-servers} (required): where {@code mesh.catalog}, {@code
 *       mesh.catalog.deadletter} and {@code mesh.audit.heads} live;
 *   <li>{@code meshgate.state-dir} (required): local state; the Lucene index is {@code
 *       <state-dir>/catalog-index}, and it holds its own position in {@code mesh.catalog};
 *   <li>{@code meshgate.topic-partitions} (default 3) and {@code meshgate.topic-replication-factor}
 *       (default 1): for the topics above when the service has to create them;
 *   <li>{@code meshgate.catalog.commit-interval} (default {@code PT5S}): how often the index is
 *       committed durably;
 *   <li>{@code meshgate.catalog.metrics-discovery-interval} (default {@code PT30S}): how often to
 *       look for new {@code mesh.<product>.metrics} topics;
 *   <li>{@code meshgate.catalog.audit-public-keys} (default none): the audit store's public key
 *       files (PEM); a product's audit head is shown only when its signature verifies with one of
 *       them, so with none no head is shown;
 *   <li>{@code server.port} and {@code server.address} (default {@code 127.0.0.1}): where {@code
 *       /graphql} and {@code /graphiql} are served; port 0 picks a free one ({@code
 *       local.server.port}).
 * </ul>
 */
public final class CatalogService {

  private CatalogService() {}

  /** The properties that make the catalog a subgraph; callers add Kafka, state directory, port. */
  public static Map<String, Object> defaultProperties() {
    return Map.of(
        "spring.application.name", "meshgate-catalog",
        "spring.graphql.schema.locations", "classpath:meshgate/catalog/graphql/",
        // GraphiqlPage serves GraphiQL with bundled assets; Spring's own page loads them from a
        // CDN.
        "spring.graphql.graphiql.enabled", "false",
        "spring.main.banner-mode", "off",
        "spring.jmx.enabled", "false",
        "server.address", "127.0.0.1",
        // the catalog has no database; where it runs beside the products (the launcher), JDBC is on
        // the classpath
        "spring.autoconfigure.exclude",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
  }

  /**
   * Starts the service and returns once it serves GraphQL; the index catches up with {@code
   * mesh.catalog} in the background ({@link CatalogConsumer#awaitCaughtUp}). Closing the context
   * stops consuming and commits the index.
   *
   * @param springProperties the properties above and any other Spring property, on top of {@link
   *     #defaultProperties()}
   */
  public static ConfigurableApplicationContext start(Map<String, Object> springProperties) {
    return new SpringApplicationBuilder(CatalogSubgraph.class)
        .properties(defaultProperties())
        .properties(springProperties)
        .logStartupInfo(false)
        .run();
  }
}
