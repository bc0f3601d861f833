package io.meshgate.catalog.search;

import io.meshgate.catalog.index.CatalogAnalyzers;
import io.meshgate.catalog.index.CatalogFields;
import io.meshgate.catalog.index.CatalogIndex;
import io.meshgate.catalog.search.SearchResult.Facet;
import io.meshgate.catalog.search.SearchResult.Highlight;
import io.meshgate.catalog.search.SearchResult.Hit;
import io.meshgate.catalog.search.SearchResult.PageInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DocumentStoredFieldVisitor;
import org.apache.lucene.facet.DrillDownQuery;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.index.QueryTimeoutImpl;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestMode;
import org.apache.lucene.search.spell.SuggestWord;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.jspecify.annotations.Nullable;

/**
 * Searches the catalog index: the operations a catalog API serves ({@link #search}, {@link
 * #suggest}). Thread-safe; each call sees the index as of its last refresh.
 */
public final class CatalogSearch {

  /** Facet values returned per dimension. */
  public static final int FACET_VALUES = 10;

  /** Suggestions returned when no limit is given. */
  public static final int DEFAULT_SUGGESTIONS = 10;

  private static final Sort BY_SCORE_THEN_ID =
      new Sort(SortField.FIELD_SCORE, new SortField(CatalogFields.ID, SortField.Type.STRING));
  private static final Set<String> STORED =
      Set.of(
          CatalogFields.ID,
          CatalogFields.NAME,
          CatalogFields.KIND,
          CatalogFields.PRODUCT,
          CatalogFields.DATASET);
  private static final Map<String, String> HIGHLIGHTED = highlightedFields();
  private static final Set<String> LOADED = loadedFields();
  private static final int FRAGMENTS = 2;
  private static final int TOTAL_HITS_THRESHOLD = 1_000;

  /**
   * Totals and facet counts are exact up to this many hits; above, they are estimated from a sample
   * of the hits ({@link SearchResult#approximate()}), which keeps queries matching a large part of
   * the index about as fast as narrow ones.
   */
  public static final int EXACT_COUNTS_UP_TO = 10_000;

  private static final int SUGGEST_SCAN = 2_000;
  private static final Pattern QUERY_WORD = Pattern.compile("[\\p{L}\\p{N}_]+");
  private static final Set<String> OPERATORS = Set.of("AND", "OR", "NOT", "TO");

  /** Time one search may take when none is configured. */
  public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(2);

  private final CatalogIndex index;
  private final QueryCompiler compiler = new QueryCompiler();
  private final FacetsConfig facetsConfig = CatalogFields.facetsConfig();
  private final Analyzer analyzer = CatalogAnalyzers.perField();
  private final DirectSpellChecker spellChecker = new DirectSpellChecker();
  private final FacetCounter facetCounter = new FacetCounter();
  private final int exactCountsUpTo;
  private final Supplier<QueryTimeout> budget;

  /** Searches over {@code index}, each within {@link #DEFAULT_TIME_BUDGET}. */
  public CatalogSearch(CatalogIndex index) {
    this(index, DEFAULT_TIME_BUDGET);
  }

  /**
   * Searches over {@code index}, each within {@code timeBudget}: a search that runs out of it
   * returns the hits found so far, flagged {@link SearchResult#partial()}.
   */
  public CatalogSearch(CatalogIndex index, Duration timeBudget) {
    this(index, EXACT_COUNTS_UP_TO, deadline(timeBudget));
  }

  /** Searches over {@code index}, counting exactly up to {@code exactCountsUpTo} hits (tests). */
  CatalogSearch(CatalogIndex index, int exactCountsUpTo) {
    this(index, exactCountsUpTo, deadline(DEFAULT_TIME_BUDGET));
  }

  /**
   * Searches over {@code index}, each stopping once the timeout {@code budget} gives it says so
   * (tests trip it at a chosen point instead of waiting for the clock).
   */
  CatalogSearch(CatalogIndex index, int exactCountsUpTo, Supplier<QueryTimeout> budget) {
    this.index = index;
    this.exactCountsUpTo = exactCountsUpTo;
    this.budget = budget;
    spellChecker.setMinPrefix(0);
    spellChecker.setMinQueryLength(3);
  }

  /**
   * Runs one search.
   *
   * @throws InvalidQueryException when the query text, a filter or the cursor is malformed; the
   *     message names the problem for the user
   */
  public SearchResult search(SearchRequest request) throws InvalidQueryException, IOException {
    QueryCompiler.Compiled compiled = compiler.compile(request.query());
    checkedDims(List.copyOf(request.filters().keySet()), "filter");
    checkedValues(request.filters());
    List<String> facetDims = checkedDims(request.facets(), "facet");
    @Nullable Cursor after = request.after() == null ? null : Cursor.decode(request.after());
    QueryTimeout timeout = budget.get();
    SearchResult result;
    try {
      result =
          index.withSearcher(
              timeout, searcher -> run(searcher, timeout, request, compiled, facetDims, after));
    } catch (IndexSearcher.TooManyClauses e) {
      // the compiler's bound keeps queries below Lucene's limit; this holds if the limit is lowered
      throw new InvalidQueryException(
          "query expands to more clauses than the "
              + IndexSearcher.getMaxClauseCount()
              + " a search may have; use fewer words, fuzzy words or patterns");
    }
    if (result.total() > 0 || result.partial() || request.query().isBlank() || after != null) {
      return result;
    }
    String correction = didYouMean(request);
    return correction == null
        ? result
        : new SearchResult(
            0, false, List.of(), result.facets(), correction, result.pageInfo(), false);
  }

  /** A fresh deadline {@code budget} from now, per search. */
  private static Supplier<QueryTimeout> deadline(Duration budget) {
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("time budget must be positive: " + budget);
    }
    long millis = Math.max(1, budget.toMillis());
    return () -> new QueryTimeoutImpl(millis);
  }

  /**
   * Dataset and field names starting with {@code prefix} (at any word of the name, ignoring case
   * and separators), dataset names first, the more common before the rarer.
   */
  public List<String> suggest(String prefix, int limit) throws IOException {
    String key = CatalogFields.normalize(prefix);
    if (key.isEmpty() || limit < 1) {
      return List.of();
    }
    return index.withSearcher(
        searcher -> {
          List<String> suggestions = new ArrayList<>();
          for (String field : List.of(CatalogFields.SUGGEST_DATASET, CatalogFields.SUGGEST_FIELD)) {
            for (String name : namesWithPrefix(searcher.getIndexReader(), field, key)) {
              if (suggestions.size() == limit) {
                return suggestions;
              }
              if (!suggestions.contains(name)) {
                suggestions.add(name);
              }
            }
          }
          return suggestions;
        });
  }

  /** {@link #suggest(String, int)} with the default number of suggestions. */
  public List<String> suggest(String prefix) throws IOException {
    return suggest(prefix, DEFAULT_SUGGESTIONS);
  }

  private SearchResult run(
      IndexSearcher searcher,
      QueryTimeout timeout,
      SearchRequest request,
      QueryCompiler.Compiled compiled,
      List<String> facetDims,
      @Nullable Cursor after)
      throws IOException {
    // Rewritten once for ranking, counting and highlighting: fuzzy and prefix words expand over
    // the terms dictionary, which costs more than many a narrow search.
    Query userQuery = searcher.rewrite(compiled.user());
    Query rewritten =
        searcher.rewrite(filteredUnchecked(compiled.rankedWith(userQuery), request.filters()));
    IndexReader reader = searcher.getIndexReader();
    FieldDoc afterDoc =
        after == null || reader.maxDoc() == 0
            ? null
            : new FieldDoc(
                reader.maxDoc() - 1,
                after.score(),
                new Object[] {after.score(), new BytesRef(after.id())});
    // Top hits and counts in separate passes: the top-k pass may skip documents that cannot
    // compete (block-max WAND); the counting pass scores none, and samples broad queries.
    TopFieldDocs topDocs =
        searcher.search(
            rewritten,
            new TopFieldCollectorManager(
                BY_SCORE_THEN_ID, request.first() + 1, afterDoc, TOTAL_HITS_THRESHOLD));
    // a search out of time keeps the hits its top-k pass collected so far
    boolean partial = searcher.timedOut();
    long total;
    boolean approximate = false;
    List<Facet> facets = List.of();
    if (topDocs.totalHits.relation() == TotalHits.Relation.EQUAL_TO && facetDims.isEmpty()) {
      total = topDocs.totalHits.value();
    } else {
      FacetCounter.Counted counted =
          facetCounter.count(searcher, rewritten, exactCountsUpTo, !facetDims.isEmpty(), timeout);
      total = counted.hits();
      approximate = counted.approximate();
      partial |= counted.timedOut();
      facets = facetDims.isEmpty() ? List.of() : counted.facets(facetDims, FACET_VALUES);
      if (partial) {
        // each pass stopped somewhere else; the hits seen by either are known to exist
        total = Math.max(total, topDocs.totalHits.value());
      }
    }
    ScoreDoc[] page =
        Arrays.copyOf(topDocs.scoreDocs, Math.min(request.first(), topDocs.scoreDocs.length));
    List<Hit> hits = hits(searcher, userQuery, page);
    String endCursor =
        hits.isEmpty() ? null : new Cursor(hits.getLast().score(), hits.getLast().id()).encode();
    return new SearchResult(
        total,
        approximate,
        hits,
        facets,
        null,
        new PageInfo(endCursor, topDocs.scoreDocs.length > request.first()),
        partial);
  }

  private List<Hit> hits(IndexSearcher searcher, Query userQuery, ScoreDoc[] page)
      throws IOException {
    // Each hit's stored fields are read (and their block decompressed) once, for the highlighter
    // and for the hit alike.
    Map<Integer, Document> documents = new HashMap<>();
    StoredFields stored = searcher.storedFields();
    for (ScoreDoc hit : page) {
      DocumentStoredFieldVisitor visitor = new DocumentStoredFieldVisitor(LOADED);
      stored.document(hit.doc, visitor);
      documents.put(hit.doc, visitor.getDocument());
    }
    Map<String, String[]> highlights = highlights(searcher, userQuery, page, documents);
    List<Hit> hits = new ArrayList<>(page.length);
    for (int i = 0; i < page.length; i++) {
      FieldDoc hit = (FieldDoc) page[i];
      Document doc = documents.get(hit.doc);
      List<Highlight> matched = new ArrayList<>();
      for (Map.Entry<String, String> field : HIGHLIGHTED.entrySet()) {
        String[] fragments = highlights.get(field.getKey());
        if (fragments != null && fragments[i] != null) {
          matched.add(new Highlight(field.getValue(), List.of(fragments[i].split("\u2029"))));
        }
      }
      hits.add(
          new Hit(
              doc.get(CatalogFields.ID),
              doc.get(CatalogFields.NAME),
              doc.get(CatalogFields.KIND),
              doc.get(CatalogFields.PRODUCT),
              doc.get(CatalogFields.DATASET),
              (Float) hit.fields[0],
              matched));
    }
    return hits;
  }

  private Map<String, String[]> highlights(
      IndexSearcher searcher, Query userQuery, ScoreDoc[] page, Map<Integer, Document> documents)
      throws IOException {
    if (page.length == 0) {
      return Map.of();
    }
    UnifiedHighlighter.Builder builder =
        UnifiedHighlighter.builder(searcher, analyzer)
            .withFormatter(new DefaultPassageFormatter("<em>", "</em>", "\u2029", true))
            .withMaxNoHighlightPassages(0)
            .withHandleMultiTermQuery(true)
            .withHighlightPhrasesStrictly(true)
            .withWeightMatches(false);
    UnifiedHighlighter highlighter =
        new UnifiedHighlighter(builder) {
          /**
           * The values from the documents read already, as the highlighter's own loading joins
           * them.
           */
          @Override
          protected List<CharSequence[]> loadFieldValues(
              String[] fields, DocIdSetIterator docs, int cacheCharsThreshold) throws IOException {
            List<CharSequence[]> values = new ArrayList<>();
            for (int doc = docs.nextDoc();
                doc != DocIdSetIterator.NO_MORE_DOCS;
                doc = docs.nextDoc()) {
              Document document = documents.get(doc);
              CharSequence[] docValues = new CharSequence[fields.length];
              for (int f = 0; f < fields.length; f++) {
                String[] stored = document.getValues(fields[f]);
                if (stored.length > 0) {
                  String joined = String.join(String.valueOf(MULTIVAL_SEP_CHAR), stored);
                  docValues[f] =
                      joined.length() > getMaxLength()
                          ? joined.substring(0, getMaxLength())
                          : joined;
                }
              }
              values.add(docValues);
            }
            return values;
          }
        };
    String[] fields = HIGHLIGHTED.keySet().toArray(String[]::new);
    int[] passages = new int[fields.length];
    Arrays.fill(passages, FRAGMENTS);
    TopDocs pageDocs = new TopDocs(new TotalHits(page.length, TotalHits.Relation.EQUAL_TO), page);
    return highlighter.highlightFields(fields, userQuery, pageDocs, passages);
  }

  private Query filtered(Query query, Map<String, List<String>> filters)
      throws InvalidQueryException {
    checkedDims(List.copyOf(filters.keySet()), "filter");
    return filteredUnchecked(query, filters);
  }

  /**
   * {@code query} restricted to hits with one of the values of each filtered dimension. What
   * lucene-facet's DrillDownQuery does, with one term-set clause per dimension instead of one
   * clause per value, so a hundred values of each dimension stay far below the clause limit.
   */
  private Query filteredUnchecked(Query query, Map<String, List<String>> filters) {
    if (filters.values().stream().allMatch(List::isEmpty)) {
      return query;
    }
    BooleanQuery.Builder filtered = new BooleanQuery.Builder().add(query, Occur.MUST);
    filters.forEach(
        (dim, values) -> {
          if (values.isEmpty()) {
            return;
          }
          String field = facetsConfig.getDimConfig(dim).indexFieldName;
          List<BytesRef> terms =
              values.stream().map(value -> DrillDownQuery.term(field, dim, value).bytes()).toList();
          filtered.add(new TermInSetQuery(field, terms), Occur.FILTER);
        });
    return filtered.build();
  }

  /** Refuses filters listing more values, or longer ones, than {@link SearchRequest} allows. */
  private static void checkedValues(Map<String, List<String>> filters)
      throws InvalidQueryException {
    for (Map.Entry<String, List<String>> filter : filters.entrySet()) {
      String problem = SearchRequest.filterValuesProblem(filter.getKey(), filter.getValue());
      if (problem != null) {
        throw new InvalidQueryException(problem);
      }
    }
  }

  private static List<String> checkedDims(List<String> dims, String what)
      throws InvalidQueryException {
    for (String dim : dims) {
      if (!CatalogFields.FACETS.contains(dim)) {
        throw new InvalidQueryException(
            "unknown " + what + " '" + dim + "', expected one of " + CatalogFields.FACETS);
      }
    }
    return dims;
  }

  /**
   * The query with every word the index does not know replaced by the closest word it knows (names
   * first, then descriptions), when that finds something; null otherwise.
   */
  private @Nullable String didYouMean(SearchRequest request) throws IOException {
    return index.withSearcher(
        budget.get(),
        searcher -> {
          IndexReader reader = searcher.getIndexReader();
          String text = request.query();
          StringBuilder corrected = new StringBuilder();
          Matcher word = QUERY_WORD.matcher(text);
          int last = 0;
          boolean changed = false;
          while (word.find()) {
            corrected.append(text, last, word.start());
            last = word.end();
            String original = word.group();
            boolean fieldName = last < text.length() && text.charAt(last) == ':';
            String replacement =
                fieldName || OPERATORS.contains(original) ? null : correction(reader, original);
            corrected.append(replacement == null ? original : replacement);
            changed |= replacement != null;
          }
          corrected.append(text, last, text.length());
          if (!changed) {
            return null;
          }
          String suggestion = corrected.toString();
          try {
            Query query = filtered(compiler.compile(suggestion).ranked(), request.filters());
            return searcher.count(query) > 0 ? suggestion : null;
          } catch (InvalidQueryException | IndexSearcher.TooManyClauses e) {
            return null;
          }
        });
  }

  private @Nullable String correction(IndexReader reader, String word) throws IOException {
    String lower = word.toLowerCase(Locale.ROOT);
    for (String field : List.of(CatalogFields.NAME, CatalogFields.DESCRIPTION)) {
      if (reader.docFreq(new Term(field, lower)) > 0
          || reader.docFreq(new Term(field, CatalogFields.singular(lower))) > 0) {
        return null;
      }
    }
    for (String field : List.of(CatalogFields.NAME, CatalogFields.DESCRIPTION)) {
      SuggestWord[] suggestions =
          spellChecker.suggestSimilar(
              new Term(field, lower), 1, reader, SuggestMode.SUGGEST_WHEN_NOT_IN_INDEX);
      if (suggestions.length > 0) {
        return suggestions[0].string;
      }
    }
    return null;
  }

  /** Display names whose suggestion keys start with {@code key}, most documents first. */
  private static List<String> namesWithPrefix(IndexReader reader, String field, String key)
      throws IOException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    BytesRef prefix = new BytesRef(key);
    for (LeafReaderContext leaf : reader.leaves()) {
      Terms terms = leaf.reader().terms(field);
      if (terms == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      TermsEnum e = terms.iterator();
      if (e.seekCeil(prefix) == TermsEnum.SeekStatus.END) {
        continue;
      }
      PostingsEnum postings = null;
      int scanned = 0;
      for (BytesRef term = e.term();
          term != null && startsWith(term, prefix) && scanned < SUGGEST_SCAN;
          term = e.next()) {
        scanned++;
        postings = e.postings(postings, PostingsEnum.NONE);
        int liveDocs = 0;
        for (int doc = postings.nextDoc();
            doc != DocIdSetIterator.NO_MORE_DOCS;
            doc = postings.nextDoc()) {
          if (live == null || live.get(doc)) {
            liveDocs++;
          }
        }
        if (liveDocs > 0) {
          String text = term.utf8ToString();
          counts.merge(
              text.substring(text.indexOf(CatalogFields.SUGGEST_SEPARATOR) + 1),
              liveDocs,
              Integer::sum);
        }
      }
    }
    return counts.entrySet().stream()
        .sorted(
            Map.Entry.<String, Integer>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .toList();
  }

  private static boolean startsWith(BytesRef term, BytesRef prefix) {
    if (term.length < prefix.length) {
      return false;
    }
    return Arrays.equals(
        term.bytes,
        term.offset,
        term.offset + prefix.length,
        prefix.bytes,
        prefix.offset,
        prefix.offset + prefix.length);
  }

  private static Set<String> loadedFields() {
    Set<String> fields = new HashSet<>(STORED);
    fields.addAll(HIGHLIGHTED.keySet());
    return Set.copyOf(fields);
  }

  private static Map<String, String> highlightedFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(CatalogFields.NAME, "name");
    fields.put(CatalogFields.DESCRIPTION, "description");
    fields.put(CatalogFields.FIELD_NAMES, "fields");
    fields.put(CatalogFields.TAGS, "tags");
    return fields;
  }
}
