package io.meshgate.catalog.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.meshgate.catalog.Catalog;
import io.meshgate.catalog.lineage.LineageLimits;
import io.meshgate.catalog.search.SearchRequest;
import io.meshgate.runtime.subgraph.InvalidInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CatalogQueriesTest {

  @TempDir static Path dir;
  private static Catalog catalog;

  @BeforeAll
  static void openEmptyCatalog() throws IOException {
    catalog = Catalog.open(dir);
  }

  @AfterAll
  static void closeCatalog() throws IOException {
    catalog.close();
  }

  static Stream<Arguments> badSearches() {
    return Stream.of(
        Arguments.of(
            List.of(new CatalogFilter("colour", List.of("red"))),
            null,
            20,
            "filters",
            "unknown filter dimension 'colour'"),
        Arguments.of(
            List.of(new CatalogFilter("product", List.of())),
            null,
            20,
            "filters",
            "lists no values"),
        Arguments.of(null, List.of("product", "size"), 20, "facets", "unknown facet 'size'"),
        Arguments.of(null, null, 0, "first", "between 1 and 100"),
        Arguments.of(null, null, 101, "first", "between 1 and 100"),
        Arguments.of(
            List.of(new CatalogFilter("tag", values(101))),
            null,
            20,
            "filters",
            "filter on 'tag' lists 101 values, at most 100 are allowed"),
        Arguments.of(
            List.of(new CatalogFilter("tag", values(60)), new CatalogFilter("tag", values(60))),
            null,
            20,
            "filters",
            "filter on 'tag' lists 120 values"),
        Arguments.of(
            List.of(new CatalogFilter("owner", List.of("x".repeat(201)))),
            null,
            20,
            "filters",
            "filter on 'owner' has a value of 201 characters, at most 200"));
  }

  /** Queries a hostile caller sent, each refused as a mistake in 'query' before any work. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "/a{1,1000000}/",
        "/(a|b)*a(a|b){24}/",
        "/.*mail/",
        "*omer",
        "colour:red",
        "customer~3",
        "name:[a TO *]",
        "a* b~2 c~2 d~2 e~2 f~2 g~2 h~2 i~2"
      })
  void hostileQueryIsABadUserInputNamingTheQuery(String text) throws Exception {
    CatalogQueries queries =
        new CatalogQueries(
            catalog,
            new AuditHeads(TrustedAuditKeys.of(java.util.List.of())),
            new ProductMetrics());

    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            assertThatThrownBy(() -> queries.catalogSearch(text, null, null, null, null))
                .as(text)
                .isInstanceOfSatisfying(
                    InvalidInputException.class,
                    e -> {
                      assertThat(e.field()).isEqualTo("query");
                      assertThat(e.code()).isEqualTo("BAD_USER_INPUT");
                      assertThat(e.getMessage()).startsWith("query: ");
                    }));
  }

  @Test
  void legitimateQueryStillRuns() throws Exception {
    CatalogQueries queries =
        new CatalogQueries(
            catalog,
            new AuditHeads(TrustedAuditKeys.of(java.util.List.of())),
            new ProductMetrics());

    assertThat(
            queries
                .catalogSearch("name:cust* OR /ord[ae]rs?/ OR custmer~1", null, null, null, null)
                .partial())
        .isFalse();
  }

  @ParameterizedTest
  @MethodSource("badSearches")
  void searchArgumentTheCatalogCannotUseIsAnErrorNamingIt(
      List<CatalogFilter> filters,
      List<String> facets,
      int first,
      String argument,
      String problem) {
    assertThatThrownBy(() -> CatalogQueries.searchRequest("customer", filters, facets, first, null))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo(argument);
              assertThat(e.getMessage()).contains(problem);
            });
  }

  @Test
  void filtersOfOneDimensionAreAlternativesAndNoFacetsMeansEveryFacet() {
    SearchRequest request =
        CatalogQueries.searchRequest(
            "customer",
            List.of(
                new CatalogFilter("product", List.of("sales")),
                new CatalogFilter("classification", List.of("PII")),
                new CatalogFilter("product", List.of("distribution"))),
            null,
            5,
            "cursor");

    assertThat(request.filters())
        .isEqualTo(
            Map.of("product", List.of("sales", "distribution"), "classification", List.of("PII")));
    assertThat(request.facets())
        .containsExactly("product", "domain", "type", "owner", "tag", "classification");
    assertThat(request.first()).isEqualTo(5);
    assertThat(request.after()).isEqualTo("cursor");
  }

  @Test
  void malformedNodeIdIsAnErrorNamingTheArgument() {
    assertThatThrownBy(() -> CatalogQueries.nodeId("node", "sales/tabel/customers#email"))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo("node");
              assertThat(e.getMessage()).contains("unknown dataset kind segment 'tabel'");
            });
    assertThat(CatalogQueries.nodeId("node", "sales/table/customers#email").isField()).isTrue();
  }

  @Test
  void lineageLimitBelowOneIsRejectedAndAbsentMeansDefaults() {
    assertThatThrownBy(() -> CatalogQueries.limits(0))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("limit"));
    assertThat(CatalogQueries.limits(null)).isEqualTo(LineageLimits.defaults());
    assertThat(CatalogQueries.limits(7).maxNodes()).isEqualTo(7);
  }

  @Test
  void lineageLimitAboveTheDefaultIsRejectedAndTheDefaultStaysValid() {
    int defaultNodes = LineageLimits.defaults().maxNodes();

    assertThatThrownBy(() -> CatalogQueries.limits(defaultNodes + 1))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo("limit");
              assertThat(e.getMessage()).contains("must be at most " + defaultNodes);
            });
    assertThat(CatalogQueries.limits(defaultNodes).maxNodes()).isEqualTo(defaultNodes);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0 | must be at least 1",
        "11 | must be at most 10",
        "1000 | must be at most 10, was 1000"
      })
  void lineageDepthOutsideOneToTenIsRejectedNamingIt(int depth, String problem) {
    assertThatThrownBy(() -> CatalogQueries.depth(depth))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo("depth");
              assertThat(e.getMessage()).contains(problem);
            });
  }

  @Test
  void lineageDepthDefaultsToThreeAndTenIsAllowed() {
    assertThat(CatalogQueries.depth(null)).isEqualTo(3);
    assertThat(CatalogQueries.depth(CatalogQueries.MAX_DEPTH)).isEqualTo(10);
  }

  private static List<String> values(int count) {
    return IntStream.range(0, count).mapToObj(i -> "value-" + i).toList();
  }
}
