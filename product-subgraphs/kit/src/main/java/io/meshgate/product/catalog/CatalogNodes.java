package io.meshgate.product.catalog;

/**
 * Catalog node ids as the catalog contract ({@code meshgate/catalog/catalog-entry.schema.json})
 * fixes them: a dataset is {@code <product>/<kind segment>/<name>}, one of its fields {@code
 * <dataset id>#<field path>}.
 */
final class CatalogNodes {

  private CatalogNodes() {}

  static String table(String product, String qualifiedTable) {
    return product + "/table/" + qualifiedTable;
  }

  static String topic(String product, String topic) {
    return product + "/topic/" + topic;
  }

  static String graphql(String product, String type) {
    return product + "/graphql/" + type;
  }

  static String metric(String product, String metric) {
    return product + "/metric/" + metric;
  }

  static String field(String dataset, String path) {
    return dataset + "#" + path;
  }

  /** The contract's kind segment of a dataset kind, e.g. {@code GRAPHQL_TYPE -> graphql}. */
  static String segment(String kind) {
    return switch (kind) {
      case "TABLE" -> "table";
      case "VIEW" -> "view";
      case "TOPIC" -> "topic";
      case "GRAPHQL_TYPE" -> "graphql";
      case "METRIC" -> "metric";
      case "FILE" -> "file";
      default -> throw new IllegalArgumentException("unknown dataset kind " + kind);
    };
  }
}
