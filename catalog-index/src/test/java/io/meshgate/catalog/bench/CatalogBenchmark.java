package io.meshgate.catalog.bench;

import io.meshgate.catalog.index.CatalogAnalyzers;
import io.meshgate.catalog.index.CatalogDocuments;
import io.meshgate.catalog.index.CatalogIndex;
import io.meshgate.catalog.index.CatalogRecord;
import io.meshgate.catalog.index.IndexOptions;
import io.meshgate.catalog.lineage.Direction;
import io.meshgate.catalog.lineage.LineageGraph;
import io.meshgate.catalog.lineage.LineageLimits;
import io.meshgate.catalog.lineage.LineageResult;
import io.meshgate.catalog.model.CatalogCodec;
import io.meshgate.catalog.model.CatalogEntry;
import io.meshgate.catalog.model.LineageEdge;
import io.meshgate.catalog.search.CatalogSearch;
import io.meshgate.catalog.search.SearchRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;

/**
 * The catalog's load figures, printed as it goes: indexing rate beside a raw Lucene IndexWriter
 * loop over the same documents (one thread and a thread per core), search latency for a fixed mix
 * of queries, and 5-hop lineage latency on the catalog's lineage edges. Not run by the build; see
 * {@code catalog-index/benchmark.sh}.
 *
 * <p>Arguments: {@code [datasets] [fieldsPerDataset] [edgesPerDataset] [workDir] [phases]}, by
 * default 10,000 datasets of 100 fields (1,000,000 field documents) with 10 lineage edges each
 * (100,000 edges), all phases. Phases without {@code index} run alone and keep the work directory:
 * {@code search} reuses the index found there, {@code lineage} needs none.
 */
public final class CatalogBenchmark {

  /** The fixed query mix: names, typos, phrases, prefixes, fielded and boolean queries, filters. */
  static final List<SearchRequest> QUERIES =
      List.of(
          SearchRequest.of("customer"),
          SearchRequest.of("custmer"),
          SearchRequest.of("invoice_line_42"),
          SearchRequest.of("\"billing address\""),
          SearchRequest.of("paym*"),
          SearchRequest.of("email").filter("classification", "PII"),
          SearchRequest.of("shipment daily"),
          SearchRequest.of("order AND status"),
          SearchRequest.of("balance").filter("product", "finance"),
          SearchRequest.of("tags:forecast"),
          SearchRequest.of("warehuose stok"),
          SearchRequest.of("delivered_at").first(20));

  private CatalogBenchmark() {}

  public static void main(String[] args) throws Exception {
    int datasets = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int fieldsPerDataset = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int edgesPerDataset = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    Path work = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("catalog-bench");
    print(
        "catalog benchmark: %,d datasets x %,d fields, %,d lineage edges each; work dir %s; %d"
            + " cores",
        datasets,
        fieldsPerDataset,
        edgesPerDataset,
        work,
        Runtime.getRuntime().availableProcessors());

    List<CatalogEntry> entries =
        SyntheticCatalog.generate(datasets, fieldsPerDataset, edgesPerDataset, 42);
    long docs = entries.stream().mapToLong(e -> e.fields().size() + 1).sum();
    print("generated %,d entries, %,d documents", entries.size(), docs);

    String phases = args.length > 4 ? args[4] : "index,search,lineage";
    if (!phases.contains("index")) {
      if (phases.contains("search")) {
        Path existing = work.resolve("catalog");
        if (!Files.exists(existing)) {
          catalogRebuild(entries, docs, existing, Runtime.getRuntime().availableProcessors());
        }
        try (CatalogIndex index =
            CatalogIndex.open(FSDirectory.open(existing), IndexOptions.defaults())) {
          index.refresh();
          searchLatency(new CatalogSearch(index));
        }
      }
      if (phases.contains("lineage")) {
        lineageLatency(entries);
      }
      return;
    }
    int threads = Runtime.getRuntime().availableProcessors();
    warmUp(entries.subList(0, Math.min(entries.size(), 1_000)), work.resolve("warm-up"), threads);
    List<List<Document>> prebuilt = prebuild(entries);
    double raw1 = rawIndexing(prebuilt, docs, work.resolve("raw-1"), 1);
    double rawN = rawIndexing(prebuilt, docs, work.resolve("raw-" + threads), threads);
    prebuilt = null;
    System.gc();
    double apply = catalogIndexing(entries, docs, work.resolve("catalog-apply"));
    double rebuild = catalogRebuild(entries, docs, work.resolve("catalog"), threads);
    print(
        "INDEXING, 1 thread:  CatalogIndex.apply %,.0f docs/s = %.0f%% of the raw IndexWriter loop"
            + " (%,.0f docs/s)",
        apply, 100 * apply / raw1, raw1);
    print(
        "INDEXING, %d threads: CatalogIndex.rebuild %,.0f docs/s = %.0f%% of the raw IndexWriter"
            + " loop (%,.0f docs/s)",
        threads, rebuild, 100 * rebuild / rawN, rawN);

    try (CatalogIndex index =
        CatalogIndex.open(FSDirectory.open(work.resolve("catalog")), IndexOptions.defaults())) {
      index.refresh();
      searchLatency(new CatalogSearch(index));
    }
    lineageLatency(entries);
    deleteRecursively(work);
  }

  /** Runs every indexing path on a slice first, so no measurement pays for the JIT alone. */
  private static void warmUp(List<CatalogEntry> slice, Path dir, int threads) throws IOException {
    long docs = slice.stream().mapToLong(e -> e.fields().size() + 1).sum();
    for (int round = 0; round < 2; round++) {
      List<List<Document>> prebuilt = prebuild(slice);
      rawIndexing(prebuilt, docs, dir.resolve("raw-1-" + round), 1);
      rawIndexing(prebuilt, docs, dir.resolve("raw-n-" + round), threads);
      catalogIndexing(slice, docs, dir.resolve("catalog-" + round));
      catalogRebuild(slice, docs, dir.resolve("rebuild-" + round), threads);
    }
    print("warm-up done");
  }

  private static List<List<Document>> prebuild(List<CatalogEntry> entries) {
    CatalogDocuments builder = new CatalogDocuments(new CatalogCodec());
    List<List<Document>> prebuilt = new ArrayList<>(entries.size());
    for (CatalogEntry entry : entries) {
      prebuilt.add(builder.of(entry));
    }
    return prebuilt;
  }

  /**
   * The ceiling: the same documents, built beforehand, added by a bare IndexWriter with the same
   * configuration from {@code threads} threads, then committed.
   */
  private static double rawIndexing(List<List<Document>> prebuilt, long docs, Path dir, int threads)
      throws IOException {
    IndexWriterConfig config =
        new IndexWriterConfig(CatalogAnalyzers.perField())
            .setRAMBufferSizeMB(IndexOptions.defaults().ramBufferMb());
    long start = System.nanoTime();
    try (IndexWriter writer = new IndexWriter(FSDirectory.open(dir), config)) {
      List<Thread> workers = new ArrayList<>();
      List<IOException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int t = 0; t < threads; t++) {
        int lane = t;
        workers.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        for (int i = lane; i < prebuilt.size(); i += threads) {
                          writer.addDocuments(prebuilt.get(i));
                        }
                      } catch (IOException e) {
                        failures.add(e);
                      }
                    }));
      }
      for (Thread worker : workers) {
        worker.join();
      }
      if (!failures.isEmpty()) {
        throw failures.getFirst();
      }
      writer.commit();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    double rate = docs / seconds(start);
    print(
        "raw IndexWriter loop, %d thread(s): %,d docs in %.1f s = %,.0f docs/s",
        threads, docs, seconds(start), rate);
    return rate;
  }

  /**
   * What a consumer does record by record: {@link CatalogIndex#apply} on one thread, then commit.
   */
  private static double catalogIndexing(List<CatalogEntry> entries, long docs, Path dir)
      throws IOException {
    long start = System.nanoTime();
    try (CatalogIndex index =
        CatalogIndex.open(FSDirectory.open(dir), IndexOptions.defaults().withIndexThreads(1))) {
      long added = 0;
      long offset = 0;
      for (CatalogEntry entry : entries) {
        index.apply(CatalogRecord.upsert(entry, 0, offset++));
        added += entry.fields().size() + 1;
        progress("CatalogIndex.apply", added, docs, start);
      }
      index.commit();
    }
    double rate = docs / seconds(start);
    print(
        "CatalogIndex.apply + commit, 1 thread: %,d docs in %.1f s = %,.0f docs/s",
        docs, seconds(start), rate);
    return rate;
  }

  /**
   * A rebuild from the topic's beginning with its progress reports, on {@code threads} index
   * threads.
   */
  private static double catalogRebuild(List<CatalogEntry> entries, long docs, Path dir, int threads)
      throws IOException {
    List<CatalogRecord> records = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      records.add(CatalogRecord.upsert(entries.get(i), 0, i));
    }
    long start = System.nanoTime();
    try (CatalogIndex index =
        CatalogIndex.open(
            FSDirectory.open(dir), IndexOptions.defaults().withIndexThreads(threads))) {
      index.rebuild(
          records,
          records.size(),
          p -> {
            if (!p.done() && entries.size() > 1_000) {
              print(
                  "  rebuild: %,d / %,d records (%.0f%%), %,.0f records/s",
                  p.records(), p.expectedRecords(), 100 * p.fraction(), p.recordsPerSecond());
            }
          });
    }
    double rate = docs / seconds(start);
    print(
        "CatalogIndex.rebuild, %d threads: %,d docs in %.1f s = %,.0f docs/s",
        threads, docs, seconds(start), rate);
    return rate;
  }

  /**
   * 5-hop traversals from fields that have lineage, in every direction, with the default limits.
   */
  private static void lineageLatency(List<CatalogEntry> entries) {
    LineageGraph graph = new LineageGraph();
    long start = System.nanoTime();
    entries.forEach(graph::upserted);
    print("lineage graph: %,d edges loaded in %.2f s", graph.edgeCount(), seconds(start));
    List<String> starts = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(7);
    while (starts.size() < 1_000) {
      CatalogEntry entry = entries.get(random.nextInt(entries.size()));
      if (!entry.lineage().isEmpty()) {
        LineageEdge edge = entry.lineage().get(random.nextInt(entry.lineage().size()));
        starts.add(random.nextBoolean() ? edge.from() : edge.to());
      }
    }
    Direction[] directions = Direction.values();
    for (int i = 0; i < 2_000; i++) {
      graph.traverse(starts.get(i % starts.size()), directions[i % 3], 5, LineageLimits.defaults());
    }
    Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    long reached = 0;
    int partial = 0;
    int runs = 10_000;
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      LineageResult result =
          graph.traverse(
              starts.get(i % starts.size()), directions[i % 3], 5, LineageLimits.defaults());
      histogram.recordValue(System.nanoTime() - t);
      reached += result.nodes().size();
      partial += result.partial() ? 1 : 0;
    }
    print(
        "LINEAGE (%,d 5-hop traversals, up/down/both, %,d edges): p50 %.3f ms, p99 %.3f ms, max"
            + " %.2f ms; %,.0f nodes reached on average, %d partial",
        runs,
        graph.edgeCount(),
        ms(histogram.getValueAtPercentile(50)),
        ms(histogram.getValueAtPercentile(99)),
        ms(histogram.getMaxValue()),
        (double) reached / runs,
        partial);
  }

  private static void searchLatency(CatalogSearch search) throws Exception {
    for (SearchRequest query : QUERIES) {
      var result = search.search(query);
      print(
          "  %-40s total %,9d  first %s",
          "'" + query.query() + "'" + (query.filters().isEmpty() ? "" : " " + query.filters()),
          result.total(),
          result.hits().isEmpty() ? "-" : result.hits().getFirst().id());
    }
    Histogram warm = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    run(search, 20, warm);
    for (SearchRequest query : QUERIES) {
      Histogram one = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
      for (int i = 0; i < 20; i++) {
        long t = System.nanoTime();
        search.search(query);
        one.recordValue(System.nanoTime() - t);
      }
      print(
          "  %-40s p50 %6.2f ms  p99 %6.2f ms",
          "'" + query.query() + "'",
          ms(one.getValueAtPercentile(50)),
          ms(one.getValueAtPercentile(99)));
    }
    Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    run(search, 100, all);
    print(
        "SEARCH (%,d queries of the mix): p50 %.2f ms, p99 %.2f ms, max %.2f ms",
        all.getTotalCount(),
        ms(all.getValueAtPercentile(50)),
        ms(all.getValueAtPercentile(99)),
        ms(all.getMaxValue()));
  }

  private static void run(CatalogSearch search, int rounds, Histogram histogram) throws Exception {
    for (int round = 0; round < rounds; round++) {
      for (SearchRequest query : QUERIES) {
        long t = System.nanoTime();
        search.search(query);
        histogram.recordValue(System.nanoTime() - t);
      }
    }
  }

  private static long lastProgress;

  private static void progress(String what, long done, long total, long start) {
    long now = System.nanoTime();
    if (now - lastProgress > TimeUnit.SECONDS.toNanos(5)) {
      lastProgress = now;
      print(
          "  %s: %,d / %,d docs (%.0f%%), %,.0f docs/s",
          what, done, total, 100.0 * done / total, done / seconds(start));
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static void print(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
