package io.meshgate.catalog.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meshgate.catalog.index.CatalogFields;
import io.meshgate.catalog.index.CatalogIndex;
import io.meshgate.catalog.index.CatalogRecord;
import io.meshgate.catalog.index.IndexOptions;
import io.meshgate.catalog.model.CatalogEntry;
import io.meshgate.catalog.model.DatasetKind;
import io.meshgate.catalog.search.SearchResult.Facet;
import io.meshgate.catalog.search.SearchResult.FacetValue;
import io.meshgate.catalog.search.SearchResult.Highlight;
import io.meshgate.catalog.search.SearchResult.Hit;
import io.meshgate.catalog.testing.Entries;
import io.meshgate.catalog.testing.SampleCatalog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CatalogSearchTest {

  private static CatalogIndex index;
  private static CatalogSearch search;

  @BeforeAll
  static void indexSampleCatalog() throws IOException {
    index = sampleIndex();
    search = new CatalogSearch(index);
  }

  @AfterAll
  static void close() throws IOException {
    index.close();
  }

  static CatalogIndex sampleIndex() throws IOException {
    CatalogIndex sample = CatalogIndex.open(new ByteBuffersDirectory(), IndexOptions.defaults());
    long offset = 0;
    for (CatalogEntry entry : SampleCatalog.entries()) {
      sample.apply(CatalogRecord.upsert(entry, 0, offset++));
      if (offset % 5 == 0) {
        sample.refresh(); // several segments, so merges can move doc ids
      }
    }
    sample.refresh();
    return sample;
  }

  @Test
  void datasetNamedExactlyLikeTheQueryRanksFirstAboveEveryDecoy() throws Exception {
    SearchResult result = search.search(SearchRequest.of("customers").first(50));

    assertThat(result.hits().getFirst().id()).isEqualTo("sales/table/sales.customers");
    assertThat(result.total()).isGreaterThan(20);
  }

  @Test
  void searchingCustomerGivesTheSalesCustomerDatasetsBeforeAnythingThatOnlyMentionsCustomers()
      throws Exception {
    List<Hit> hits = search.search(SearchRequest.of("customer").first(10)).hits();

    assertThat(hits.getFirst().id()).isEqualTo("sales/graphql/Customer");
    assertThat(hits.getFirst().product()).isEqualTo("sales");
    assertThat(hits.getFirst().kind()).isEqualTo("GRAPHQL_TYPE");
    assertThat(ids(hits).subList(0, 3))
        .containsExactly(
            "sales/graphql/Customer",
            "distribution/table/orders#customer",
            "sales/table/sales.customers");
  }

  @Test
  void theOwnersDatasetOutranksAnotherProductsExtensionOfTheSameEntity() throws Exception {
    CatalogIndex withExtension = sampleIndex();
    withExtension.apply(
        CatalogRecord.upsert(
            Entries.dataset("Customer")
                .product("distribution")
                .kind(DatasetKind.GRAPHQL_TYPE)
                .tags("graphql", "extension")
                .description("Customer")
                .field("orders", "[Order!]!", "Orders")
                .build(),
            0,
            10_000));
    withExtension.refresh();
    try {
      List<Hit> hits =
          new CatalogSearch(withExtension).search(SearchRequest.of("customer").first(50)).hits();
      assertThat(hits.getFirst().id()).isEqualTo("sales/graphql/Customer");
      assertThat(ids(hits)).contains("distribution/graphql/Customer");
    } finally {
      withExtension.close();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "orders",
        "Customer",
        "invoices",
        "mesh.sales.customer.changes",
        "CustomerAccount",
        "customer_email",
        "customers_archive",
        "customer account",
        "balance"
      })
  void exactNameAlwaysRanksFirst(String name) throws Exception {
    Hit first = search.search(SearchRequest.of(name)).hits().getFirst();

    assertThat(CatalogFields.normalize(first.name())).isEqualTo(CatalogFields.normalize(name));
  }

  @Test
  void aShortWordDoesNotMatchNamesTwoEditsAway() throws Exception {
    // "amaul" is two letters from "email": a five-letter word reaching that far finds too much
    assertThat(search.search(SearchRequest.of("amaul").first(50)).hits())
        .extracting(Hit::name)
        .doesNotContain("email");
    assertThat(search.search(SearchRequest.of("emaul").first(50)).hits())
        .extracting(Hit::name)
        .contains("email");
    // from six letters, two edits are allowed
    assertThat(search.search(SearchRequest.of("blaanse").first(50)).hits())
        .extracting(Hit::name)
        .contains("balance");
  }

  @ParameterizedTest
  @CsvSource({
    "custmer, Customer",
    "cstomers, sales.customers",
    "custoemr, Customer",
    "invocies, invoices",
    "balanse, balance"
  })
  void typosStillFindTheDataset(String typo, String expectedName) throws Exception {
    List<Hit> hits = search.search(SearchRequest.of(typo)).hits();

    assertThat(hits).extracting(Hit::name).contains(expectedName);
    assertThat(hits.subList(0, Math.min(3, hits.size())))
        .extracting(Hit::name)
        .contains(expectedName);
  }

  @Test
  void phraseMatchesOnlyWordsInThatOrder() throws Exception {
    List<Hit> inOrder = search.search(SearchRequest.of("\"contact e-mail address\"")).hits();
    List<Hit> reversed = search.search(SearchRequest.of("\"address e-mail contact\"")).hits();

    assertThat(inOrder)
        .extracting(Hit::id)
        .containsExactlyInAnyOrder(
            "sales/table/sales.customers#email",
            "sales/graphql/Customer#email",
            "sales/topic/mesh.sales.customer.changes#after.email");
    assertThat(reversed).isEmpty();
  }

  @Test
  void prefixFindsNamesStartingWithIt() throws Exception {
    List<Hit> hits = search.search(SearchRequest.of("invoic*")).hits();

    assertThat(hits)
        .extracting(Hit::id)
        .contains("finance/table/invoices", "finance/table/invoices#id");
    assertThat(hit(hits, "finance/table/invoices").highlights())
        .contains(new Highlight("name", List.of("<em>invoices</em>")));
    assertThat(hit(hits, "finance/table/invoices#id").highlights())
        .contains(new Highlight("description", List.of("<em>Invoice</em> identifier.")));
  }

  @Test
  void facetsCountEveryHitPerValue() throws Exception {
    SearchResult all = search.search(SearchRequest.of("").first(1));

    Map<String, Long> products = values(all, "product");
    assertThat(products)
        .containsEntry("sales", (1L + 3) + (1 + 2) + (1 + 1) + (1 + 2))
        .containsEntry("finance", (1L + 2) + (1 + 3))
        .containsEntry("distribution", 1L + 3)
        .containsEntry("analytics", 20L * 3);
    assertThat(products.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(all.total());
    assertThat(values(all, "classification"))
        .containsEntry("PII", 2L + 2 + 1 + 2)
        .containsEntry("FINANCIAL", 1L + 1 + 1 + 1);
    assertThat(values(all, "type"))
        .containsEntry("GRAPHQL_TYPE", 1L)
        .containsEntry("TOPIC", 1L)
        .containsEntry("FIELD", all.total() - SampleCatalog.entries().size());
  }

  @Test
  void filtersKeepOnlyHitsWithTheValueAndCountsFollowThem() throws Exception {
    SearchResult financial =
        search.search(SearchRequest.of("customer").filter("classification", "FINANCIAL").first(50));
    SearchResult salesOrFinance =
        search.search(SearchRequest.of("").filter("product", "sales", "finance").first(100));

    assertThat(financial.hits())
        .extracting(Hit::id)
        .containsExactlyInAnyOrder(
            "finance/table/CustomerAccount",
            "finance/table/invoices",
            "finance/table/CustomerAccount#balance");
    assertThat(values(financial, "classification")).containsExactly(Map.entry("FINANCIAL", 3L));
    assertThat(salesOrFinance.hits()).extracting(Hit::product).containsOnly("sales", "finance");
    assertThat(salesOrFinance.total()).isEqualTo(12 + 7);
  }

  @Test
  void aConjunctionFindsExactlyTheHitsWithEveryWordInSomeFieldNamesFirst() throws Exception {
    SearchResult both = search.search(SearchRequest.of("customer AND email").first(100));
    SearchResult customer = search.search(SearchRequest.of("customer").first(100));
    SearchResult email = search.search(SearchRequest.of("email").first(100));

    assertThat(customer.total()).isLessThan(100);
    assertThat(email.total()).isLessThan(100);
    List<String> expected = new ArrayList<>(ids(customer.hits()));
    expected.retainAll(ids(email.hits()));
    assertThat(ids(both.hits())).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(both.total()).isEqualTo(expected.size());
    // fields named for a word (in a dataset named for the other) outrank datasets that only list
    // or describe the words, however often their descriptions repeat one
    assertThat(both.hits().subList(0, 4)).extracting(Hit::kind).containsOnly("FIELD");
    assertThat(ids(both.hits().subList(0, 4)))
        .contains("sales/table/customers_archive#customer_email");
    assertThat(both.hits().subList(4, both.hits().size()))
        .extracting(Hit::kind)
        .doesNotContain("FIELD");
  }

  @Test
  void highlightsMarkTheMatchedWordsPerMatchedField() throws Exception {
    List<Hit> hits = search.search(SearchRequest.of("email").first(20)).hits();

    Hit field = hit(hits, "sales/table/sales.customers#email");
    assertThat(field.highlights()).contains(new Highlight("name", List.of("<em>email</em>")));
    Hit dataset = hit(hits, "sales/table/sales.customers");
    assertThat(dataset.highlights()).extracting(Highlight::field).containsExactly("fields");
    assertThat(dataset.highlights().getFirst().fragments().getFirst()).contains("<em>email</em>");
    Hit described = search.search(SearchRequest.of("destination")).hits().getFirst();
    assertThat(described.highlights()).extracting(Highlight::field).contains("description");
  }

  @Test
  void prefixAndMisspeltWordsAreHighlightedWhereTheyMatched() throws Exception {
    Hit prefixed =
        hit(
            search.search(SearchRequest.of("destin*").first(20)).hits(),
            "distribution/table/orders");
    assertThat(prefixed.highlights())
        .filteredOn(h -> h.field().equals("description"))
        .singleElement()
        .satisfies(h -> assertThat(h.fragments().getFirst()).contains("<em>destination</em>"));

    Hit misspelt =
        hit(
            search.search(SearchRequest.of("custmer_email").first(20)).hits(),
            "sales/table/customers_archive#customer_email");
    assertThat(misspelt.highlights())
        .contains(new Highlight("name", List.of("<em>customer_email</em>")));
  }

  @Test
  void pagesFollowEachOtherWithoutGapsOrRepeatsEvenWhenMergesMoveDocIds() throws Exception {
    try (CatalogIndex index = sampleIndex()) {
      pageThrough(index, new CatalogSearch(index));
    }
  }

  private static void pageThrough(CatalogIndex index, CatalogSearch search) throws Exception {
    List<String> whole = ids(search.search(SearchRequest.of("customer").first(100)).hits());
    List<String> paged = new ArrayList<>();
    SearchRequest request = SearchRequest.of("customer").first(7);
    SearchResult page;
    int pages = 0;
    do {
      page = search.search(request);
      paged.addAll(ids(page.hits()));
      request = request.after(page.pageInfo().endCursor());
      if (++pages == 2) {
        index.forceMerge(1);
        index.refresh();
      }
    } while (page.pageInfo().hasNextPage());

    assertThat(whole.size()).isGreaterThan(7 * 3);
    assertThat(paged).isEqualTo(whole);
    assertThat(page.total()).isEqualTo(whole.size());
  }

  @Test
  void pageAfterTheLastHasNoHitsAndNoNextPage() throws Exception {
    SearchResult only = search.search(SearchRequest.of("balance"));
    SearchResult after =
        search.search(SearchRequest.of("balance").after(only.pageInfo().endCursor()));

    assertThat(only.pageInfo().hasNextPage()).isFalse();
    assertThat(after.hits()).isEmpty();
    assertThat(after.pageInfo()).isEqualTo(new SearchResult.PageInfo(null, false));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "customer AND             | column 13",
        "(customer                | column 10",
        "customer)                | column 9",
        "\"customer email         | unterminated quoted phrase",
        "*omer                    | leading wildcards",
        "name:[a TO               | column 11",
        "/[unclosed/              | cannot parse query"
      })
  void malformedQueryIsAnErrorNamingTheProblem(String query, String mentioned) {
    InvalidQueryException e =
        catchThrowableOfType(
            InvalidQueryException.class, () -> search.search(SearchRequest.of(query)));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains(mentioned);
  }

  @Test
  void unknownFilterOrBrokenCursorIsAnErrorNamingIt() {
    InvalidQueryException filter =
        catchThrowableOfType(
            InvalidQueryException.class,
            () -> search.search(SearchRequest.of("customer").filter("colour", "blue")));
    InvalidQueryException cursor =
        catchThrowableOfType(
            InvalidQueryException.class,
            () -> search.search(SearchRequest.of("customer").after("not-a-cursor!")));

    assertThat(filter.getMessage()).contains("unknown filter 'colour'").contains("classification");
    assertThat(cursor.getMessage()).contains("malformed cursor");
  }

  @Test
  void searchOutOfTimeReturnsTheHitsFoundSoFarFlaggedPartial() throws Exception {
    int segments = index.withSearcher(searcher -> searcher.getIndexReader().leaves().size());
    assertThat(segments).isGreaterThan(1);
    SearchRequest everything = SearchRequest.of("").first(SearchRequest.MAX_PAGE_SIZE);
    SearchResult complete = search.search(everything);
    // the budget runs out after the first look at the clock: one segment is searched, no more
    CatalogSearch outOfTime =
        new CatalogSearch(index, CatalogSearch.EXACT_COUNTS_UP_TO, () -> tripsAfter(1));

    SearchResult partial = outOfTime.search(everything);

    assertThat(complete.partial()).isFalse();
    assertThat(partial.partial()).isTrue();
    assertThat(partial.hits()).isNotEmpty().hasSizeLessThan(complete.hits().size());
    assertThat(ids(complete.hits())).containsAll(ids(partial.hits()));
    assertThat(partial.total())
        .isGreaterThanOrEqualTo(partial.hits().size())
        .isLessThan(complete.total());
    assertThat(partial.didYouMean()).isNull();
  }

  @Test
  void searchWithinItsBudgetIsCompleteAndUnchanged() throws Exception {
    CatalogSearch generous =
        new CatalogSearch(
            index, CatalogSearch.EXACT_COUNTS_UP_TO, () -> tripsAfter(Integer.MAX_VALUE));

    SearchResult result = generous.search(SearchRequest.of("customer"));

    assertThat(result.partial()).isFalse();
    assertThat(result).isEqualTo(search.search(SearchRequest.of("customer")));
  }

  @Test
  void filterWithTooManyValuesIsRefusedNamingTheDimension() {
    String[] values =
        IntStream.rangeClosed(0, SearchRequest.MAX_FILTER_VALUES)
            .mapToObj(i -> "product-" + i)
            .toArray(String[]::new);

    InvalidQueryException e =
        catchThrowableOfType(
            InvalidQueryException.class,
            () -> search.search(SearchRequest.of("customer").filter("product", values)));

    assertThat(e.getMessage()).contains("filter on 'product' lists 101 values, at most 100");
  }

  @Test
  void aHundredValuesInEveryDimensionFilterLikeTheValuesThatExist() throws Exception {
    SearchRequest finance = SearchRequest.of("customer").first(100).filter("product", "finance");
    SearchRequest amongAbsentValues = finance.filter("product", withAbsentValues("finance"));
    SearchRequest everyDimension = SearchRequest.of("customer");
    for (String dim : CatalogFields.FACETS) {
      everyDimension = everyDimension.filter(dim, withAbsentValues("absent"));
    }

    assertThat(search.search(amongAbsentValues)).isEqualTo(search.search(finance));
    assertThat(search.search(everyDimension).total()).isZero();
  }

  /** {@code value} after as many absent values as make the most a filter may list. */
  private static String[] withAbsentValues(String value) {
    String[] values = new String[SearchRequest.MAX_FILTER_VALUES];
    for (int i = 0; i < values.length - 1; i++) {
      values[i] = "absent-" + i;
    }
    values[values.length - 1] = value;
    return values;
  }

  /** A timeout that lets {@code looks} looks at the clock pass, then says stop. */
  private static QueryTimeout tripsAfter(int looks) {
    AtomicInteger left = new AtomicInteger(looks);
    return () -> left.getAndDecrement() <= 0;
  }

  @Test
  void queryThatFindsNothingSuggestsACorrectionThatDoes() throws Exception {
    SearchResult result = search.search(SearchRequest.of("\"Contact e-mail adres\""));

    assertThat(result.total()).isZero();
    assertThat(result.didYouMean()).isEqualTo("\"Contact e-mail address\"");
    assertThat(search.search(SearchRequest.of(result.didYouMean())).total()).isPositive();
  }

  @Test
  void misspeltPhraseStillFindsTheNameItMeans() throws Exception {
    SearchResult result = search.search(SearchRequest.of("\"custmer emial\""));

    assertThat(result.hits().getFirst().name()).isEqualTo("customer_email");
  }

  @Test
  void queryThatFindsSomethingSuggestsNothing() throws Exception {
    assertThat(search.search(SearchRequest.of("customer")).didYouMean()).isNull();
    assertThat(search.search(SearchRequest.of("zzzzqqq")).didYouMean()).isNull();
  }

  @Test
  void suggestsDatasetNamesBeforeFieldNamesFromAnyWordStart() throws Exception {
    assertThat(search.suggest("cust", 4))
        .containsExactly("Customer", "CustomerAccount", "customer_report_0", "customer_report_1");
    assertThat(search.suggest("acc")).startsWith("CustomerAccount");
    assertThat(search.suggest("customer_se")).containsExactly("customer_segment");
    assertThat(search.suggest("  ")).isEmpty();
  }

  @Test
  void suggestionsForgetDeletedDatasets() throws Exception {
    try (CatalogIndex own = sampleIndex()) {
      own.apply(CatalogRecord.tombstone("finance/table/CustomerAccount", 0, 1000));
      own.refresh();

      assertThat(new CatalogSearch(own).suggest("acc")).doesNotContain("CustomerAccount");
    }
  }

  private static Hit hit(List<Hit> hits, String id) {
    return hits.stream()
        .filter(h -> h.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no hit " + id + " in " + ids(hits)));
  }

  private static List<String> ids(List<Hit> hits) {
    return hits.stream().map(Hit::id).toList();
  }

  private static Map<String, Long> values(SearchResult result, String dim) {
    Facet facet =
        result.facets().stream().filter(f -> f.name().equals(dim)).findFirst().orElseThrow();
    return facet.values().stream().collect(Collectors.toMap(FacetValue::value, FacetValue::count));
  }
}
