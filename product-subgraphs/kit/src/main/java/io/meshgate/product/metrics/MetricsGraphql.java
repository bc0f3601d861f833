package io.meshgate.product.metrics;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.meshgate.runtime.subgraph.InvalidInputException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/**
 * Serves a product's metrics in its subgraph: {@code Query.<product>} returns the product, whose
 * type ({@code <Product>Product}, e.g. {@code DistributionProduct}) has {@code metrics(window:
 * ...)}. The field names are the product's own, so every product's metrics compose into one graph
 * side by side.
 */
public final class MetricsGraphql implements RuntimeWiringConfigurer {

  /** Most rows one {@code metrics} call returns. */
  public static final int MAX_ROWS = 1000;

  private final String product;
  private final MetricsStore store;
  private final Clock clock;

  public MetricsGraphql(String product, MetricsStore store, Clock clock) {
    this.product = product;
    this.store = store;
    this.clock = clock;
  }

  /** The GraphQL type of the product, e.g. {@code DistributionProduct} for {@code distribution}. */
  public static String typeName(String product) {
    return product.substring(0, 1).toUpperCase(Locale.ROOT) + product.substring(1) + "Product";
  }

  @Override
  public void configure(RuntimeWiring.Builder builder) {
    builder.type("Query", type -> type.dataFetcher(product, env -> Map.of("name", product)));
    builder.type(typeName(product), type -> type.dataFetcher("metrics", this::metrics));
  }

  private List<Map<String, Object>> metrics(DataFetchingEnvironment env) {
    Duration window = window(env.getArgumentOrDefault("window", "PT1H"));
    int first = env.getArgumentOrDefault("first", 200);
    if (first < 0 || first > MAX_ROWS) {
      throw new InvalidInputException(
          "first", "must be between 0 and " + MAX_ROWS + ", was " + first);
    }
    String metric = env.getArgument("metric");
    return store.since(clock.instant().minus(window), metric, first).stream()
        .map(MetricsGraphql::toGraphql)
        .toList();
  }

  private static Duration window(String text) {
    Duration window;
    try {
      window = Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(
          "window", "must be an ISO-8601 duration such as PT15M or P1D, was '" + text + "'");
    }
    if (window.isNegative() || window.isZero()) {
      throw new InvalidInputException("window", "must be a positive duration, was " + text);
    }
    return window;
  }

  private static Map<String, Object> toGraphql(MetricsStore.MetricRow row) {
    Map<String, Object> metric = new LinkedHashMap<>();
    metric.put("name", row.metric());
    metric.put(
        "dimensions",
        row.dimensions().entrySet().stream()
            .map(e -> Map.of("name", e.getKey(), "value", e.getValue()))
            .toList());
    metric.put("windowStart", row.windowStart().toString());
    metric.put("windowEnd", row.windowEnd().toString());
    metric.put("count", row.count());
    metric.put("sum", plain(row.sum()));
    metric.put("max", plain(row.max()));
    metric.put("lateCount", row.lateCount());
    metric.put("lateSum", plain(row.lateSum()));
    metric.put("totalCount", row.count() + row.lateCount());
    metric.put(
        "totalSum",
        plain(
            row.sum() == null
                ? row.lateSum()
                : row.lateSum() == null ? row.sum() : row.sum().add(row.lateSum())));
    return metric;
  }

  private static @Nullable String plain(@Nullable BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }
}
