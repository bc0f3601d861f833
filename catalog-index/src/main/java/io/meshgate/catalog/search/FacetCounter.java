package io.meshgate.catalog.search;

import io.meshgate.catalog.index.CatalogFields;
import io.meshgate.catalog.search.SearchResult.Facet;
import io.meshgate.catalog.search.SearchResult.FacetValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.util.ArrayUtil;
import org.jspecify.annotations.Nullable;

/**
 * Counts facet values of the hits from the facet doc values the index writes (lucene-facet's
 * sorted-set layout: one field, {@code dim \u001f value} per ordinal), reading each segment's
 * ordinals once into plain int arrays and counting per segment without global ordinals.
 *
 * <p>Decoding the doc values anew for every search dominated the latency of broad queries at a
 * million documents; segments are immutable, so their ordinals are cached until the segment
 * closes, a refresh builds no global ordinal map, and hits are counted while they are collected.
 */
final class FacetCounter {

  private final Map<IndexReader.CacheKey, SegmentOrdinals> segments = new ConcurrentHashMap<>();

  /**
   * Counts facet values and hits in one pass over the matching documents, scoring none: no
   * intermediate set of hits is built.
   */
  CollectorManager<Counting, Counted> collector() {
    return new CollectorManager<>() {
      @Override
      public Counting newCollector() {
        return new Counting();
      }

      @Override
      public Counted reduce(Collection<Counting> collectors) {
        Counted total = new Counted();
        collectors.forEach(c -> c.addTo(total));
        return total;
      }
    };
  }

  /** Hits and facet value counts of one search. */
  static final class Counted {
    private long hits;
    private final List<Map<String, Long>> counts = new ArrayList<>();

    Counted() {
      for (int i = 0; i < CatalogFields.FACETS.size(); i++) {
        counts.add(new HashMap<>());
      }
    }

    /** Number of matching documents. */
    long hits() {
      return hits;
    }

    /** The {@code top} most frequent values of each of {@code dims}. */
    List<Facet> facets(List<String> dims, int top) {
      List<Facet> facets = new ArrayList<>(dims.size());
      for (String dim : dims) {
        Map<String, Long> values = counts.get(CatalogFields.FACETS.indexOf(dim));
        facets.add(new Facet(dim, values.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
            .limit(top)
            .map(e -> new FacetValue(e.getKey(), e.getValue()))
            .toList()));
      }
      return facets;
    }
  }

  /** Counts per segment in the segment's own ordinals, then per value label. */
  final class Counting implements Collector {
    private final List<SegmentOrdinals> segmentOrdinals = new ArrayList<>();
    private final List<int[]> segmentCounts = new ArrayList<>();
    private long hits;

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) {
      SegmentOrdinals ordinals = ordinals(context.reader());
      int[] counts = ordinals == null ? new int[0] : new int[ordinals.dims().length];
      if (ordinals != null) {
        segmentOrdinals.add(ordinals);
        segmentCounts.add(counts);
      }
      int[] start = ordinals == null ? null : ordinals.start();
      int[] ords = ordinals == null ? null : ordinals.ords();
      return new LeafCollector() {
        @Override
        public void setScorer(Scorable scorer) {}

        @Override
        public void collect(int doc) {
          hits++;
          if (start != null) {
            for (int i = start[doc], end = start[doc + 1]; i < end; i++) {
              counts[ords[i]]++;
            }
          }
        }
      };
    }

    @Override
    public ScoreMode scoreMode() {
      return ScoreMode.COMPLETE_NO_SCORES;
    }

    void addTo(Counted total) {
      total.hits += hits;
      for (int s = 0; s < segmentOrdinals.size(); s++) {
        SegmentOrdinals ordinals = segmentOrdinals.get(s);
        int[] counts = segmentCounts.get(s);
        for (int ord = 0; ord < counts.length; ord++) {
          if (counts[ord] > 0) {
            total.counts.get(ordinals.dims()[ord]).merge(ordinals.values()[ord], (long) counts[ord], Long::sum);
          }
        }
      }
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
   * One segment's facet ordinals: for each document the range {@code [start[doc],
   * start[doc + 1])} of {@code ords}, and for each ordinal its dimension index and value.
   */
  private record SegmentOrdinals(int[] start, int[] ords, int[] dims, String[] values) {

    static @Nullable SegmentOrdinals read(LeafReader reader) {
      try {
        if (reader.getFieldInfos().fieldInfo(FacetsConfig.DEFAULT_INDEX_FIELD_NAME) == null) {
          return null;
        }
        SortedSetDocValues values = DocValues.getSortedSet(reader, FacetsConfig.DEFAULT_INDEX_FIELD_NAME);
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
        for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
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
