package io.meshgate.catalog.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgate.catalog.lineage.LineageLimits;
import io.meshgate.catalog.search.SearchRequest;
import io.meshgate.product.subgraph.InvalidInputException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CatalogQueriesTest {

  static Stream<Arguments> badSearches() {
    return Stream.of(
        Arguments.of(List.of(new CatalogFilter("colour", List.of("red"))), null, 20, "filters", "unknown filter dimension 'colour'"),
        Arguments.of(List.of(new CatalogFilter("product", List.of())), null, 20, "filters", "lists no values"),
        Arguments.of(null, List.of("product", "size"), 20, "facets", "unknown facet 'size'"),
        Arguments.of(null, null, 0, "first", "between 1 and 100"),
        Arguments.of(null, null, 101, "first", "between 1 and 100"));
  }

  @ParameterizedTest
  @MethodSource("badSearches")
  void searchArgumentTheCatalogCannotUseIsAnErrorNamingIt(List<CatalogFilter> filters, List<String> facets,
      int first, String argument, String problem) {
    assertThatThrownBy(() -> CatalogQueries.searchRequest("customer", filters, facets, first, null))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.field()).isEqualTo(argument);
          assertThat(e.getMessage()).contains(problem);
        });
  }

  @Test
  void filtersOfOneDimensionAreAlternativesAndNoFacetsMeansEveryFacet() {
    SearchRequest request = CatalogQueries.searchRequest("customer", List.of(
        new CatalogFilter("product", List.of("sales")),
        new CatalogFilter("classification", List.of("PII")),
        new CatalogFilter("product", List.of("distribution"))), null, 5, "cursor");

    assertThat(request.filters()).isEqualTo(Map.of("product", List.of("sales", "distribution"), "classification", List.of("PII")));
    assertThat(request.facets()).containsExactly("product", "domain", "type", "owner", "tag", "classification");
    assertThat(request.first()).isEqualTo(5);
    assertThat(request.after()).isEqualTo("cursor");
  }

  @Test
  void malformedNodeIdIsAnErrorNamingTheArgument() {
    assertThatThrownBy(() -> CatalogQueries.nodeId("node", "sales/tabel/customers#email"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.field()).isEqualTo("node");
          assertThat(e.getMessage()).contains("unknown dataset kind segment 'tabel'");
        });
    assertThat(CatalogQueries.nodeId("node", "sales/table/customers#email").isField()).isTrue();
  }

  @Test
  void lineageLimitBelowOneIsRejectedAndAbsentMeansDefaults() {
    assertThatThrownBy(() -> CatalogQueries.limits(0))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("limit"));
    assertThat(CatalogQueries.limits(null)).isEqualTo(LineageLimits.defaults());
    assertThat(CatalogQueries.limits(7).maxNodes()).isEqualTo(7);
  }
}
