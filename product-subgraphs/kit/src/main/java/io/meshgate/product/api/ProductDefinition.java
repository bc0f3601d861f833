package io.meshgate.product.api;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a data product declares about itself: its name, its captured entities and where its
 * contracts live. Everything the shared product library does (capture, publishing, read models,
 * topics, subgraph) is derived from this.
 *
 * @param name product name, e.g. {@code sales}; also its replication slot and publication prefix
 * @param entities captured entities
 * @param sqlLocation classpath location of the product's versioned DDL scripts (Flyway layout)
 * @param graphqlLocation classpath location of the product's Federation v2 SDL
 * @param metrics windowed metrics the product computes from its change events, beyond the change
 *     rate and freshness every product gets
 */
public record ProductDefinition(
    String name,
    List<EntityDefinition> entities,
    String sqlLocation,
    String graphqlLocation,
    List<MetricDefinition> metrics) {

  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9]*$");

  public ProductDefinition {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("product name must match " + NAME + ": " + name);
    }
    if (entities.isEmpty()) {
      throw new IllegalArgumentException("product " + name + " declares no entity");
    }
    entities = List.copyOf(entities);
    metrics = List.copyOf(metrics);
    for (MetricDefinition metric : metrics) {
      checkMetric(name, entities, metric);
    }
  }

  /** A product without metrics of its own. */
  public ProductDefinition(
      String name, List<EntityDefinition> entities, String sqlLocation, String graphqlLocation) {
    this(name, entities, sqlLocation, graphqlLocation, List.of());
  }

  private static void checkMetric(
      String product, List<EntityDefinition> entities, MetricDefinition metric) {
    String prefix = "metric " + product + "." + metric.name() + ": ";
    if (entities.stream().noneMatch(e -> e.name().equals(metric.entity()))) {
      throw new IllegalArgumentException(prefix + "no entity named " + metric.entity());
    }
    MetricDimension enriched = metric.lookupDimension();
    if (enriched == null) {
      return;
    }
    String target = enriched.lookup().entity();
    EntityDefinition referenced =
        entities.stream()
            .filter(e -> e.name().equals(target))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        prefix + "lookup names no entity of the product: " + target));
    if (referenced.keyColumns().size() != 1) {
      throw new IllegalArgumentException(
          prefix + "lookup entity " + target + " must have a single-column key");
    }
  }

  /** The entity whose operational table is {@code table} (schema-qualified). */
  public Optional<EntityDefinition> entityForTable(String table) {
    return entities.stream().filter(e -> e.table().equals(table)).findFirst();
  }

  /** The entity named {@code entity}. */
  public Optional<EntityDefinition> entity(String entity) {
    return entities.stream().filter(e -> e.name().equals(entity)).findFirst();
  }

  /** Name of the product's logical replication slot. */
  public String slotName() {
    return "meshgate_" + name;
  }

  /** Name of the product's publication. */
  public String publicationName() {
    return "meshgate_" + name;
  }
}
