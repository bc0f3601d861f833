package io.meshgate.audit.graphql;

import io.meshgate.audit.graphql.ProductContracts.ProductEntity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The entity types the audit subgraph contributes {@value #FIELD} to: one per product entity whose
 * GraphQL type its product declares with {@code @key(fields: "id")}, generated from the contracts
 * so that a product added later gets its history without a change here.
 */
public final class HistoryTypes {

  /** The field the audit subgraph adds to every product entity type. */
  public static final String FIELD = "history";

  /** Default page size of {@value #FIELD}. */
  public static final int DEFAULT_FIRST = 20;

  private final Map<String, ProductEntity> byType;

  private HistoryTypes(Map<String, ProductEntity> byType) {
    this.byType = byType;
  }

  /**
   * The history types of these contracts.
   *
   * @throws IllegalStateException if two product entities are served as one type, or a product's
   *     type already has a field named like one the audit subgraph adds (the supergraph would not
   *     compose)
   */
  public static HistoryTypes of(ProductContracts contracts) {
    Map<String, ProductEntity> byType = new LinkedHashMap<>();
    for (ProductEntity entity : contracts.all()) {
      if (!entity.keyedById()) {
        continue;
      }
      ProductEntity other = byType.putIfAbsent(entity.typeName(), entity);
      if (other != null) {
        throw new IllegalStateException(
            "GraphQL type "
                + entity.typeName()
                + " serves both "
                + other.product()
                + "/"
                + other.entity()
                + " and "
                + entity.product()
                + "/"
                + entity.entity()
                + "; its history would be ambiguous");
      }
      if (contracts.fieldsOfType(entity.typeName()).contains(FIELD)) {
        throw new IllegalStateException(
            "a product already gives "
                + entity.typeName()
                + " a field '"
                + FIELD
                + "'; the audit subgraph's "
                + entity.typeName()
                + "."
                + FIELD
                + " would clash with it");
      }
    }
    return new HistoryTypes(byType);
  }

  /** The product entities with a history, by GraphQL type name. */
  public Map<String, ProductEntity> byType() {
    return byType;
  }

  /** The product entity served as {@code typeName}, if it has a history. */
  public Optional<ProductEntity> entity(String typeName) {
    return Optional.ofNullable(byType.get(typeName));
  }

  /** The SDL the audit subgraph adds for these types (empty when there are none). */
  public String sdl() {
    StringBuilder sdl = new StringBuilder();
    for (ProductEntity entity : byType.values()) {
      sdl.append("\"The audit log's view of ")
          .append(entity.product())
          .append("'s ")
          .append(entity.entity())
          .append(".\"\n")
          .append("type ")
          .append(entity.typeName())
          .append(" @key(fields: \"id\") {\n")
          .append("  id: ID!\n")
          .append("  \"This record's audit entries (")
          .append(entity.product())
          .append(" entity ")
          .append(entity.entity())
          .append("), newest first; 'first' is 0 to 500.\"\n")
          .append("  ")
          .append(FIELD)
          .append("(first: Int = ")
          .append(DEFAULT_FIRST)
          .append("): [AuditEntry!]!\n")
          .append("}\n\n");
    }
    return sdl.toString();
  }

  /** The type names, for tests and logs. */
  public List<String> typeNames() {
    return List.copyOf(byType.keySet());
  }
}
