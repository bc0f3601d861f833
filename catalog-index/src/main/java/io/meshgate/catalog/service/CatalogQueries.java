package io.meshgate.catalog.service;

import io.meshgate.catalog.Catalog;
import io.meshgate.catalog.index.CatalogFields;
import io.meshgate.catalog.index.DataProduct;
import io.meshgate.catalog.lineage.Direction;
import io.meshgate.catalog.lineage.ImpactReport;
import io.meshgate.catalog.lineage.LineageLimits;
import io.meshgate.catalog.lineage.LineageResult;
import io.meshgate.catalog.model.CatalogEntry;
import io.meshgate.catalog.model.NodeId;
import io.meshgate.catalog.search.InvalidQueryException;
import io.meshgate.catalog.search.SearchRequest;
import io.meshgate.catalog.search.SearchResult;
import io.meshgate.runtime.subgraph.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/**
 * The catalog subgraph's queries ({@code meshgate/catalog/graphql/catalog.graphqls}). Every
 * argument the catalog cannot use becomes a GraphQL error naming the argument and the problem.
 */
@Controller
public class CatalogQueries {

  /** Largest {@code limit} of {@code catalogSuggest}. */
  static final int MAX_SUGGESTIONS = 100;

  /**
   * Largest {@code depth} of {@code lineage}. Lineage across a mesh runs a handful of hops (column,
   * change topic, replica, derived table); {@code impact} follows every depth when that is wanted.
   */
  static final int MAX_DEPTH = 10;

  /** Largest {@code limit} of {@code lineage}: the default, {@link LineageLimits#defaults()}. */
  static final int MAX_NODES = LineageLimits.defaults().maxNodes();

  // the SDL's defaults, for a client that sends an explicit null
  private static final int DEFAULT_FIRST = 20;
  private static final int DEFAULT_SUGGESTIONS = 10;
  private static final int DEFAULT_DEPTH = 3;

  private final Catalog catalog;
  private final AuditHeads auditHeads;
  private final ProductMetrics metrics;

  public CatalogQueries(Catalog catalog, AuditHeads auditHeads, ProductMetrics metrics) {
    this.catalog = catalog;
    this.auditHeads = auditHeads;
    this.metrics = metrics;
  }

  @QueryMapping
  public SearchResult catalogSearch(
      @Argument String query,
      @Argument @Nullable List<CatalogFilter> filters,
      @Argument @Nullable List<String> facets,
      @Argument @Nullable Integer first,
      @Argument @Nullable String after)
      throws IOException {
    SearchRequest request =
        searchRequest(query, filters, facets, first == null ? DEFAULT_FIRST : first, after);
    try {
      return catalog.search().search(request);
    } catch (InvalidQueryException e) {
      // filters and facets were checked above, so the cursor or the query text is at fault
      boolean cursor = after != null && e.getMessage() != null && e.getMessage().contains("cursor");
      throw new InvalidInputException(cursor ? "after" : "query", e.getMessage());
    }
  }

  @QueryMapping
  public List<String> catalogSuggest(@Argument String prefix, @Argument @Nullable Integer limit)
      throws IOException {
    int count = limit == null ? DEFAULT_SUGGESTIONS : limit;
    if (count < 1 || count > MAX_SUGGESTIONS) {
      throw new InvalidInputException(
          "limit", "must be between 1 and " + MAX_SUGGESTIONS + ", was " + count);
    }
    return catalog.search().suggest(prefix, count);
  }

  @QueryMapping
  public @Nullable DataProduct dataProduct(@Argument String name) throws IOException {
    Optional<DataProduct> indexed = catalog.index().product(name);
    if (indexed.isPresent()) {
      return indexed.get();
    }
    boolean known = auditHeads.of(name).isPresent() || !metrics.of(name).isEmpty();
    return known ? new DataProduct(name, List.of(), List.of(), List.of()) : null;
  }

  @SchemaMapping(typeName = "DataProduct", field = "metrics")
  public List<CatalogMetricWindow> metrics(DataProduct product) {
    return metrics.of(product.name()).stream().map(CatalogMetricWindow::of).toList();
  }

  @SchemaMapping(typeName = "DataProduct", field = "auditHead")
  public @Nullable AuditHead auditHead(DataProduct product) {
    return auditHeads.of(product.name()).orElse(null);
  }

  @QueryMapping
  public @Nullable CatalogEntry dataset(@Argument String id) throws IOException {
    NodeId node = nodeId("id", id);
    if (node.isField()) {
      throw new InvalidInputException(
          "id", "'" + id + "' is a field id; a dataset id has no '#<field>'");
    }
    return catalog.index().dataset(id).orElse(null);
  }

  @QueryMapping
  public LineageResult lineage(
      @Argument String node,
      @Argument @Nullable Direction direction,
      @Argument @Nullable Integer depth,
      @Argument @Nullable Integer limit) {
    nodeId("node", node);
    return catalog
        .lineage()
        .traverse(
            node, direction == null ? Direction.BOTH : direction, depth(depth), limits(limit));
  }

  @QueryMapping
  public ImpactReport impact(@Argument String node) {
    nodeId("node", node);
    return catalog.lineage().impact(node, LineageLimits.defaults());
  }

  /** Checks what the search itself would only report without naming the argument. */
  static SearchRequest searchRequest(
      String query,
      @Nullable List<CatalogFilter> filters,
      @Nullable List<String> facets,
      int first,
      @Nullable String after) {
    if (first < 1 || first > SearchRequest.MAX_PAGE_SIZE) {
      throw new InvalidInputException(
          "first", "must be between 1 and " + SearchRequest.MAX_PAGE_SIZE + ", was " + first);
    }
    Map<String, List<String>> byDimension = new LinkedHashMap<>();
    for (CatalogFilter filter : filters == null ? List.<CatalogFilter>of() : filters) {
      if (!CatalogFields.FACETS.contains(filter.dimension())) {
        throw new InvalidInputException(
            "filters",
            "unknown filter dimension '"
                + filter.dimension()
                + "', expected one of "
                + CatalogFields.FACETS);
      }
      if (filter.values().isEmpty()) {
        throw new InvalidInputException(
            "filters", "filter on '" + filter.dimension() + "' lists no values");
      }
      List<String> values = byDimension.computeIfAbsent(filter.dimension(), d -> new ArrayList<>());
      values.addAll(filter.values());
      // checked as the list grows, so a long list of filters is refused at its first excess
      String problem = SearchRequest.filterValuesProblem(filter.dimension(), values);
      if (problem != null) {
        throw new InvalidInputException("filters", problem);
      }
    }
    List<String> dims = facets == null ? CatalogFields.FACETS : facets;
    for (String dim : dims) {
      if (!CatalogFields.FACETS.contains(dim)) {
        throw new InvalidInputException(
            "facets", "unknown facet '" + dim + "', expected one of " + CatalogFields.FACETS);
      }
    }
    return new SearchRequest(query, byDimension, dims, first, after);
  }

  static int depth(@Nullable Integer depth) {
    int hops = depth == null ? DEFAULT_DEPTH : depth;
    if (hops < 1) {
      throw new InvalidInputException("depth", "must be at least 1, was " + hops);
    }
    if (hops > MAX_DEPTH) {
      throw new InvalidInputException("depth", "must be at most " + MAX_DEPTH + ", was " + hops);
    }
    return hops;
  }

  static LineageLimits limits(@Nullable Integer limit) {
    LineageLimits defaults = LineageLimits.defaults();
    if (limit == null) {
      return defaults;
    }
    if (limit < 1) {
      throw new InvalidInputException("limit", "must be at least 1, was " + limit);
    }
    if (limit > MAX_NODES) {
      throw new InvalidInputException("limit", "must be at most " + MAX_NODES + ", was " + limit);
    }
    return new LineageLimits(limit, defaults.maxEdges());
  }

  static NodeId nodeId(String argument, String id) {
    try {
      return NodeId.parse(id);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(argument, e.getMessage());
    }
  }
}
