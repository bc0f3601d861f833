package io.meshgate.catalog.search;

import io.meshgate.catalog.index.CatalogFields;
import io.meshgate.catalog.search.SearchResult.Facet;
import io.meshgate.catalog.search.SearchResult.FacetValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.Bits;
import org.jspecify.annotations.Nullable;

/**
 * Counts facet values of the hits from the facet doc values the index writes (lucene-facet's
 * sorted-set layout: one field, {@code dim \u001f value} per ordinal), reading each segment's
 * ordinals once into plain int arrays and counting per segment without global ordinals.
 *
 * <p>Decoding the doc values anew for every search dominated the latency of broad queries at a
 * million documents; segments are immutable, so their ordinals are cached until the segment closes,
 * a refresh builds no global ordinal map, and hits are counted while they are collected. Counting
 * every hit of a query matching a fifth of the index still cost more than the whole rest of a
 * search, so past a bound the hits are sampled (see {@link #count}).
 */
final class FacetCounter {

  private final Map<IndexReader.CacheKey, SegmentOrdinals> segments = new ConcurrentHashMap<>();

  /**
   * Counts hits and facet values of {@code query} in one pass over the matching documents, scoring
   * none and building no set of hits. The first {@code exactUpTo} + 1 hits (in index order) are
   * counted one by one; past them only every {@value #STRIDE}th window of {@value #WINDOW}
   * documents of the rest of the index is visited, and its counts are scaled by the share of the
   * rest it covers. So counts are exact whenever the query has at most {@code exactUpTo} hits, and
   * estimates (flagged {@link Counted#approximate()}) otherwise, at a cost of about {@code
   * exactUpTo} hits plus a {@value #STRIDE}th of the rest, however broad the query. Deleted
   * documents are skipped but still count as part of the rest the sample stands for. Facet values
   * are added up only when {@code facets}: a search that asks for none needs only the number of
   * hits, and adding up each hit's ordinals was most of the cost of counting a broad one. Once
   * {@code timeout} says so, counting stops and the counts so far are returned, flagged {@link
   * Counted#timedOut()}.
   */
  Counted count(
      IndexSearcher searcher, Query query, long exactUpTo, boolean facets, QueryTimeout timeout)
      throws IOException {
    Weight weight =
        searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
    int maxDoc = searcher.getIndexReader().maxDoc();
    Sampling sampling = new Sampling(exactUpTo, maxDoc, timeout);
    List<SegmentCounts> segmentsCounted = new ArrayList<>();
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      if (sampling.outOfTime()) {
        break;
      }
      Scorer scorer = weight.scorer(leaf);
      if (scorer == null) {
        continue;
      }
      SegmentOrdinals ordinals = facets ? ordinals(leaf.reader()) : null;
      SegmentCounts counts = ordinals == null ? null : new SegmentCounts(ordinals);
      if (counts != null) {
        segmentsCounted.add(counts);
      }
      TwoPhaseIterator twoPhase = scorer.twoPhaseIterator();
      DocIdSetIterator it =
          twoPhase == null ? scorer.iterator() : TwoPhaseIterator.asDocIdSetIterator(twoPhase);
      sampling.countLeaf(leaf, it, counts);
    }
    return sampling.result(segmentsCounted);
  }

  /**
   * Windows of documents past the exactly counted ones: one in {@value #STRIDE} is visited. Smaller
   * than a dataset's block of documents (the dataset and its fields are indexed together, and share
   * product, domain...), so the sample spreads over many datasets.
   */
  static final int WINDOW = 64;

  /** One window in this many is visited once counts become estimates. */
  static final int STRIDE = 16;

  /** Counts one segment's hits in its own ordinals: exactly counted ones and sampled ones apart. */
  private static final class SegmentCounts {
    final SegmentOrdinals ordinals;
    final int[] exact;
    final int[] sampled;

    SegmentCounts(SegmentOrdinals ordinals) {
      this.ordinals = ordinals;
      this.exact = new int[ordinals.dims().length];
      this.sampled = new int[ordinals.dims().length];
    }

    void add(int doc, int[] into) {
      int[] start = ordinals.start();
      int[] ords = ordinals.ords();
      for (int i = start[doc], end = start[doc + 1]; i < end; i++) {
        into[ords[i]]++;
      }
    }
  }

  /** Documents visited between two looks at the clock. */
  private static final int CHECK_TIME_EVERY = 4_096;

  /** The state of one counting pass across segments, in index order. */
  private static final class Sampling {
    private final long exactUpTo;
    private final int maxDoc;
    private final QueryTimeout timeout;
    private long exactHits;
    private long sampledHits;

    /** First global document of the sampled rest, -1 while counting exactly. */
    private int restStart = -1;

    private boolean timedOut;

    Sampling(long exactUpTo, int maxDoc, QueryTimeout timeout) {
      this.exactUpTo = exactUpTo;
      this.maxDoc = maxDoc;
      this.timeout = timeout;
    }

    boolean outOfTime() {
      timedOut |= timeout.shouldExit();
      return timedOut;
    }

    void countLeaf(LeafReaderContext leaf, DocIdSetIterator it, @Nullable SegmentCounts counts)
        throws IOException {
      Bits live = leaf.reader().getLiveDocs();
      int base = leaf.docBase;
      int leafMaxDoc = leaf.reader().maxDoc();
      int doc = it.nextDoc();
      int visited = 0;
      while (doc != DocIdSetIterator.NO_MORE_DOCS) {
        if (++visited % CHECK_TIME_EVERY == 0 && outOfTime()) {
          return;
        }
        if (restStart < 0) {
          if (live == null || live.get(doc)) {
            exactHits++;
            if (counts != null) {
              counts.add(doc, counts.exact);
            }
            if (exactHits > exactUpTo) {
              restStart = base + doc + 1;
            }
          }
          doc = it.nextDoc();
          continue;
        }
        int window = (base + doc - restStart) / WINDOW;
        if (window % STRIDE != 0) {
          long next = restStart + (long) (window / STRIDE + 1) * STRIDE * WINDOW - base;
          if (next >= leafMaxDoc) {
            return;
          }
          doc = it.advance((int) next);
          continue;
        }
        if (live == null || live.get(doc)) {
          sampledHits++;
          if (counts != null) {
            counts.add(doc, counts.sampled);
          }
        }
        doc = it.nextDoc();
      }
    }

    /** How many documents of the rest the visited windows stand for, per document visited. */
    private double scale() {
      long rest = maxDoc - restStart;
      if (rest <= 0) {
        return 0;
      }
      long fullStrides = rest / ((long) STRIDE * WINDOW);
      long remainder = rest % ((long) STRIDE * WINDOW);
      long visited = fullStrides * WINDOW + Math.min(remainder, WINDOW);
      return (double) rest / visited;
    }

    Counted result(List<SegmentCounts> segmentsCounted) {
      // documents past the last one counted exactly may hold unvisited hits
      boolean approximate = restStart >= 0 && restStart < maxDoc;
      double scale = approximate ? scale() : 0;
      Counted total = new Counted();
      total.approximate = approximate;
      total.timedOut = timedOut;
      total.hits = exactHits + Math.round(sampledHits * scale);
      for (SegmentCounts counts : segmentsCounted) {
        for (int ord = 0; ord < counts.exact.length; ord++) {
          long count = counts.exact[ord] + Math.round(counts.sampled[ord] * scale);
          if (count > 0) {
            total
                .counts
                .get(counts.ordinals.dims()[ord])
                .merge(counts.ordinals.values()[ord], count, Long::sum);
          }
        }
      }
      return total;
    }
  }

  /** Hits and facet value counts of one search. */
  static final class Counted {
    private long hits;
    private boolean approximate;
    private boolean timedOut;
    private final List<Map<String, Long>> counts = new ArrayList<>();

    Counted() {
      for (int i = 0; i < CatalogFields.FACETS.size(); i++) {
        counts.add(new HashMap<>());
      }
    }

    /** Number of matching documents (an estimate when {@link #approximate()}). */
    long hits() {
      return hits;
    }

    /** Whether hits and facet counts are estimated from a sample of the hits. */
    boolean approximate() {
      return approximate;
    }

    /** Whether counting stopped when the search ran out of time; the counts are then too low. */
    boolean timedOut() {
      return timedOut;
    }

    /** The {@code top} most frequent values of each of {@code dims}. */
    List<Facet> facets(List<String> dims, int top) {
      List<Facet> facets = new ArrayList<>(dims.size());
      for (String dim : dims) {
        Map<String, Long> values = counts.get(CatalogFields.FACETS.indexOf(dim));
        facets.add(
            new Facet(
                dim,
                values.entrySet().stream()
                    .sorted(
                        Map.Entry.<String, Long>comparingByValue()
                            .reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(top)
                    .map(e -> new FacetValue(e.getKey(), e.getValue()))
                    .toList()));
      }
      return facets;
    }
  }

  private @Nullable SegmentOrdinals ordinals(LeafReader reader) {
    IndexReader.CacheHelper helper = reader.getCoreCacheHelper();
    if (helper == null) {
      return SegmentOrdinals.read(reader);
    }
    SegmentOrdinals cached = segments.get(helper.getKey());
    if (cached != null) {
      return cached;
    }
    SegmentOrdinals read = SegmentOrdinals.read(reader);
    if (read != null && segments.putIfAbsent(helper.getKey(), read) == null) {
      helper.addClosedListener(segments::remove);
    }
    return read;
  }

  /**
   * One segment's facet ordinals: for each document the range {@code [start[doc], start[doc + 1])}
   * of {@code ords}, and for each ordinal its dimension index and value.
   */
  private record SegmentOrdinals(int[] start, int[] ords, int[] dims, String[] values) {

    static @Nullable SegmentOrdinals read(LeafReader reader) {
      try {
        if (reader.getFieldInfos().fieldInfo(FacetsConfig.DEFAULT_INDEX_FIELD_NAME) == null) {
          return null;
        }
        SortedSetDocValues values =
            DocValues.getSortedSet(reader, FacetsConfig.DEFAULT_INDEX_FIELD_NAME);
        int valueCount = Math.toIntExact(values.getValueCount());
        int[] dims = new int[valueCount];
        String[] labels = new String[valueCount];
        for (int ord = 0; ord < valueCount; ord++) {
          String[] path = FacetsConfig.stringToPath(values.lookupOrd(ord).utf8ToString());
          dims[ord] = path.length == 2 ? CatalogFields.FACETS.indexOf(path[0]) : -1;
          labels[ord] = path.length == 2 ? path[1] : "";
        }
        int maxDoc = reader.maxDoc();
        int[] start = new int[maxDoc + 1];
        int[] ords = new int[Math.max(16, maxDoc * 4)];
        int size = 0;
        int next = 0;
        for (int doc = values.nextDoc();
            doc != DocIdSetIterator.NO_MORE_DOCS;
            doc = values.nextDoc()) {
          while (next <= doc) {
            start[next++] = size;
          }
          int count = values.docValueCount();
          ords = ArrayUtil.grow(ords, size + count);
          for (int i = 0; i < count; i++) {
            int ord = Math.toIntExact(values.nextOrd());
            // lucene-facet also indexes each dimension alone; only values are counted
            if (dims[ord] >= 0) {
              ords[size++] = ord;
            }
          }
        }
        while (next <= maxDoc) {
          start[next++] = size;
        }
        return new SegmentOrdinals(start, Arrays.copyOf(ords, size), dims, labels);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
