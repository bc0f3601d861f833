package io.meshgate.catalog.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshgate.catalog.bench.SyntheticCatalog;
import io.meshgate.catalog.index.CatalogIndex;
import io.meshgate.catalog.index.CatalogRecord;
import io.meshgate.catalog.index.IndexOptions;
import io.meshgate.catalog.model.CatalogEntry;
import io.meshgate.catalog.search.SearchResult.Facet;
import io.meshgate.catalog.search.SearchResult.FacetValue;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Totals and facet counts: exact up to the bound, estimated from a sample above it. */
class CatalogSearchCountsTest {

  private static final int DATASETS = 400;
  private static final int FIELDS = 50;
  private static final long DOCS = DATASETS * (FIELDS + 1L);

  private static CatalogIndex index;

  @BeforeAll
  static void indexSyntheticCatalog() throws IOException {
    index = CatalogIndex.open(new ByteBuffersDirectory(), IndexOptions.defaults());
    List<CatalogEntry> entries = SyntheticCatalog.generate(DATASETS, FIELDS, 2, 42);
    long offset = 0;
    for (CatalogEntry entry : entries) {
      index.apply(CatalogRecord.upsert(entry, 0, offset++));
      if (offset % 100 == 0) {
        index.refresh();
      }
    }
    index.refresh();
  }

  @AfterAll
  static void close() throws IOException {
    index.close();
  }

  @Test
  void countsAreExactUpToTheBound() throws Exception {
    SearchResult exact = new CatalogSearch(index, (int) DOCS).search(SearchRequest.of(""));

    assertThat(exact.approximate()).isFalse();
    assertThat(exact.total()).isEqualTo(DOCS);
    assertThat(values(exact, "type")).containsEntry("FIELD", DATASETS * (long) FIELDS);
  }

  @Test
  void aboveTheBoundTotalAndFacetCountsAreEstimatesFlaggedAsSuch() throws Exception {
    SearchResult exact = new CatalogSearch(index, (int) DOCS).search(SearchRequest.of(""));
    SearchResult sampled = new CatalogSearch(index, 1_000).search(SearchRequest.of(""));

    assertThat(sampled.approximate()).isTrue();
    assertThat((double) sampled.total()).isCloseTo(DOCS, within(DOCS * 0.05));
    // a sample of every 16th window: per-document values are estimated closely
    long fields = DATASETS * (long) FIELDS;
    assertThat((double) values(sampled, "type").get("FIELD"))
        .isCloseTo(fields, within(fields * 0.05));
    // per-dataset values (product, domain) vary more: only the most frequent ones are reliable
    assertThat(values(sampled, "product")).hasSameSizeAs(values(exact, "product"));
    // the hits themselves do not depend on the counts
    assertThat(sampled.hits()).isEqualTo(exact.hits());
  }

  @Test
  void aQueryWithFewHitsStaysExactUnderASmallBound() throws Exception {
    SearchResult all =
        new CatalogSearch(index, (int) DOCS).search(SearchRequest.of("tags:forecast"));
    SearchResult bounded =
        new CatalogSearch(index, (int) all.total()).search(SearchRequest.of("tags:forecast"));

    assertThat(all.total()).isPositive();
    assertThat(bounded.approximate()).isFalse();
    assertThat(bounded.total()).isEqualTo(all.total());
    assertThat(bounded.facets()).isEqualTo(all.facets());
  }

  private static Map<String, Long> values(SearchResult result, String dim) {
    Facet facet =
        result.facets().stream().filter(f -> f.name().equals(dim)).findFirst().orElseThrow();
    return facet.values().stream().collect(Collectors.toMap(FacetValue::value, FacetValue::count));
  }
}
