package io.meshgate.catalog.index;

import io.meshgate.catalog.model.CatalogCodec;
import io.meshgate.catalog.model.CatalogEntry;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.jspecify.annotations.Nullable;

/**
 * The catalog's Lucene index: the door through which {@code mesh.catalog} records come in and
 * searchers go out.
 *
 * <p>One thread applies records ({@link #apply}, or batches with {@link #applyAll}, which spreads
 * them over the index threads) in topic order; any thread may search. Applied changes become
 * visible at the next {@link #refresh()} and durable at the next {@link #commit()}, which stores
 * the next offset to consume per partition in the same Lucene commit. After a crash the index
 * therefore holds exactly the records before {@link #committedOffsets()}; consuming again from
 * there converges to the topic's state, because every record replaces or removes all documents of
 * its dataset.
 */
public final class CatalogIndex implements Closeable {

  /** Name of the index format, stored in every commit. */
  public static final String FORMAT = "meshgate.catalog-index";

  /**
   * Version of the document layout; an index of another version is cleared on open, so the consumer
   * replays the topic from the start. Version 2 keeps the offsets of highlighted words.
   */
  public static final int FORMAT_VERSION = 2;

  private static final String FORMAT_KEY = "format";
  private static final String FORMAT_VERSION_KEY = "formatVersion";
  private static final String OFFSET_PREFIX = "offset.";
  private static final int REBUILD_BATCH = 1_000;
  private static final int PARALLEL_BATCH = 16;
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final CatalogDocuments documents;
  private final IndexOptions options;
  private final @Nullable ExecutorService lanes;
  private final @Nullable ExecutorService searchThreads;
  private final Map<Integer, Long> appliedOffsets = new ConcurrentHashMap<>();
  private final List<CatalogListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Map<Integer, Long> committedOffsets;
  private volatile boolean rebuilding;
  private volatile @Nullable Set<String> rebuiltKeys;

  private CatalogIndex(Directory directory, IndexOptions options) throws IOException {
    this.directory = directory;
    this.options = options;
    this.lanes =
        options.indexThreads() == 1
            ? null
            : Executors.newFixedThreadPool(options.indexThreads(), threads("catalog-index-"));
    IndexWriterConfig config =
        new IndexWriterConfig(CatalogAnalyzers.perField())
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
            .setCommitOnClose(false)
            .setRAMBufferSizeMB(options.ramBufferMb());
    this.writer = new IndexWriter(directory, config);
    this.documents = new CatalogDocuments(new CatalogCodec());
    Map<String, String> userData = lastCommitData(writer);
    if (userData.isEmpty() || isCurrentFormat(userData)) {
      this.committedOffsets = offsetsOf(userData);
    } else {
      writer.deleteAll();
      this.committedOffsets = Map.of();
    }
    appliedOffsets.putAll(committedOffsets);
    this.searchThreads =
        options.indexThreads() == 1
            ? null
            : Executors.newFixedThreadPool(options.indexThreads(), threads("catalog-search-"));
    this.searchers =
        new SearcherManager(
            writer,
            true,
            false,
            new SearcherFactory() {
              @Override
              public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) {
                return searcherOver(reader);
              }
            });
  }

  private IndexSearcher searcherOver(IndexReader reader) {
    // segments are searched in parallel slices, so one big query uses every core
    return searchThreads == null
        ? new IndexSearcher(reader)
        : new SlicedSearcher(reader, searchThreads, options.indexThreads());
  }

  /**
   * A searcher that splits the index into one slice per search thread of about equal size, cutting
   * segments into partitions where needed. Lucene's default slicing groups whole segments, and
   * segment sizes follow merges: a large segment made one slice twice the size of the others, and
   * that slice set the latency of every broad query. Small indexes stay one slice (handing work to
   * another thread costs more than it saves there).
   */
  private static final class SlicedSearcher extends IndexSearcher {
    /** Below this many documents per slice, more slices do not pay for their hand-off. */
    private static final int MIN_DOCS_PER_SLICE = 50_000;

    private final int threads;

    SlicedSearcher(IndexReader reader, ExecutorService executor, int threads) {
      super(reader, executor);
      this.threads = threads;
    }

    @Override
    protected LeafSlice[] slices(List<LeafReaderContext> leaves) {
      long docs = 0;
      for (LeafReaderContext leaf : leaves) {
        docs += leaf.reader().maxDoc();
      }
      int perSlice = (int) Math.max(MIN_DOCS_PER_SLICE, (docs + threads - 1) / threads);
      return slices(leaves, perSlice, Integer.MAX_VALUE, true);
    }
  }

  /** Opens (or creates) the index in {@code path} with default options. */
  public static CatalogIndex open(Path path) throws IOException {
    return open(FSDirectory.open(path), IndexOptions.defaults());
  }

  /** Opens (or creates) the index in {@code directory}; the index closes the directory. */
  public static CatalogIndex open(Directory directory, IndexOptions options) throws IOException {
    return new CatalogIndex(directory, options);
  }

  /** Adds a listener that hears every change applied from now on. */
  public void addListener(CatalogListener listener) {
    listeners.add(listener);
  }

  /**
   * Applies one record: an entry replaces every document of its dataset, a tombstone removes them.
   * Records of one partition must come in offset order; re-applying is harmless.
   */
  public void apply(CatalogRecord record) throws IOException {
    Term dataset = new Term(CatalogFields.DATASET, record.key());
    CatalogEntry entry = record.entry();
    Set<String> fresh = rebuiltKeys;
    // during a rebuild the index started empty, so a key's first record has nothing to replace
    boolean firstInRebuild = fresh != null && fresh.add(record.key());
    if (entry == null) {
      if (!firstInRebuild) {
        writer.deleteDocuments(dataset);
      }
      for (CatalogListener listener : listeners) {
        listener.deleted(record.key());
      }
    } else {
      List<Document> docs = documents.of(entry);
      if (firstInRebuild) {
        writer.addDocuments(docs);
      } else {
        writer.updateDocuments(dataset, docs);
      }
      for (CatalogListener listener : listeners) {
        listener.upserted(entry);
      }
    }
    appliedOffsets.merge(record.partition(), record.offset() + 1, Math::max);
  }

  /**
   * Moves past a record that was not applied (e.g. an invalid one sent to a dead-letter topic), so
   * that the next commit does not make a restart read it again.
   */
  public void skip(int partition, long offset) {
    if (partition < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "negative partition or offset: " + partition + "/" + offset);
    }
    appliedOffsets.merge(partition, offset + 1, Math::max);
  }

  /**
   * Sets the applied offsets back to {@link #committedOffsets()}, for a consumer that reads again
   * from there after a failure: the next commit then claims only what was applied anew, while the
   * documents applied since stay (applying them again is harmless).
   */
  public void rewindToCommitted() {
    appliedOffsets.clear();
    appliedOffsets.putAll(committedOffsets);
  }

  /**
   * Applies a batch of records, e.g. one consumer poll, spread over the index threads: records of
   * one dataset stay in order on one thread, so the result is that of applying them in order.
   * Returns when all are applied.
   */
  public void applyAll(Iterable<CatalogRecord> records) throws IOException {
    List<CatalogRecord> batch = new ArrayList<>();
    records.forEach(batch::add);
    if (lanes == null || batch.size() < PARALLEL_BATCH) {
      for (CatalogRecord record : batch) {
        apply(record);
      }
      return;
    }
    int laneCount = options.indexThreads();
    List<List<CatalogRecord>> byLane = new ArrayList<>(laneCount);
    for (int i = 0; i < laneCount; i++) {
      byLane.add(new ArrayList<>());
    }
    for (CatalogRecord record : batch) {
      byLane.get(Math.floorMod(record.key().hashCode(), laneCount)).add(record);
    }
    List<Future<?>> running = new ArrayList<>(laneCount);
    for (List<CatalogRecord> lane : byLane) {
      running.add(
          lanes.submit(
              () -> {
                for (CatalogRecord record : lane) {
                  apply(record);
                }
                return null;
              }));
    }
    awaitAll(running);
  }

  private static void awaitAll(List<Future<?>> running) throws IOException {
    IOException failure = null;
    for (Future<?> lane : running) {
      try {
        lane.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while applying catalog records");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        IOException io =
            cause instanceof IOException ioe
                ? ioe
                : new IOException("applying a catalog record failed", cause);
        if (failure == null) {
          failure = io;
        } else {
          failure.addSuppressed(io);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Makes everything applied so far visible to searches. Does nothing during a rebuild, so searches
   * keep the previous state until the rebuild completes.
   */
  public void refresh() throws IOException {
    if (!rebuilding) {
      searchers.maybeRefreshBlocking();
    }
  }

  /** Makes everything applied so far durable, together with the next offset of each partition. */
  public synchronized void commit() throws IOException {
    Map<Integer, Long> offsets = new TreeMap<>(appliedOffsets);
    Map<String, String> userData = new TreeMap<>();
    userData.put(FORMAT_KEY, FORMAT);
    userData.put(FORMAT_VERSION_KEY, Integer.toString(FORMAT_VERSION));
    offsets.forEach(
        (partition, next) -> userData.put(OFFSET_PREFIX + partition, Long.toString(next)));
    writer.setLiveCommitData(userData.entrySet());
    writer.commit();
    committedOffsets = Collections.unmodifiableMap(offsets);
  }

  /**
   * The next offset to consume per partition, as of the last durable commit: where a consumer
   * resumes after a restart. Partitions absent start at their beginning.
   */
  public Map<Integer, Long> committedOffsets() {
    return committedOffsets;
  }

  /** The next offset to consume per partition, as of the last applied record. */
  public Map<Integer, Long> appliedOffsets() {
    return Collections.unmodifiableMap(new TreeMap<>(appliedOffsets));
  }

  /**
   * Replaces the whole index with {@code records} (the topic read from its beginning), reporting
   * progress about once a second and at the end, then commits and refreshes. Searches see the
   * previous state until the end.
   *
   * @param expectedRecords how many records the source holds, or -1 when unknown
   * @return the final progress
   */
  public RebuildProgress rebuild(
      Iterable<CatalogRecord> records, long expectedRecords, Consumer<RebuildProgress> progress)
      throws IOException {
    long start = System.nanoTime();
    long lastReport = start;
    long applied = 0;
    rebuilding = true;
    try {
      writer.deleteAll();
      rebuiltKeys = ConcurrentHashMap.newKeySet();
      appliedOffsets.clear();
      for (CatalogListener listener : listeners) {
        listener.cleared();
      }
      List<CatalogRecord> batch = new ArrayList<>(REBUILD_BATCH);
      for (CatalogRecord record : records) {
        batch.add(record);
        if (batch.size() == REBUILD_BATCH) {
          applyAll(batch);
          applied += batch.size();
          batch.clear();
          if (System.nanoTime() - lastReport >= PROGRESS_INTERVAL.toNanos()) {
            lastReport = System.nanoTime();
            progress.accept(
                new RebuildProgress(
                    applied, expectedRecords, Duration.ofNanos(lastReport - start), false));
          }
        }
      }
      applyAll(batch);
      applied += batch.size();
      commit();
    } finally {
      rebuiltKeys = null;
      rebuilding = false;
    }
    refresh();
    RebuildProgress done =
        new RebuildProgress(
            applied, expectedRecords, Duration.ofNanos(System.nanoTime() - start), true);
    progress.accept(done);
    return done;
  }

  /**
   * Merges the index down to at most {@code maxSegments} segments, e.g. after a bulk rebuild;
   * searches get faster, doc ids change (cursors do not depend on them).
   */
  public void forceMerge(int maxSegments) throws IOException {
    writer.forceMerge(maxSegments);
  }

  /** The current entry of the dataset {@code datasetId}, as of the last refresh. */
  public Optional<CatalogEntry> dataset(String datasetId) throws IOException {
    return withSearcher(
        searcher -> {
          BooleanQuery query =
              new BooleanQuery.Builder()
                  .add(new TermQuery(new Term(CatalogFields.ID, datasetId)), Occur.FILTER)
                  .add(
                      new TermQuery(new Term(CatalogFields.DOC_TYPE, CatalogFields.DOC_DATASET)),
                      Occur.FILTER)
                  .build();
          TopDocs top = searcher.search(query, 1);
          if (top.scoreDocs.length == 0) {
            return Optional.empty();
          }
          Document doc =
              searcher.storedFields().document(top.scoreDocs[0].doc, Set.of(CatalogFields.SOURCE));
          return Optional.of(entryOf(doc.getBinaryValue(CatalogFields.SOURCE)));
        });
  }

  /**
   * The product {@code name} with all its datasets, as of the last refresh; empty when it has none.
   */
  public Optional<DataProduct> product(String name) throws IOException {
    List<CatalogEntry> datasets =
        withSearcher(
            searcher -> {
              BooleanQuery query =
                  new BooleanQuery.Builder()
                      .add(new TermQuery(new Term(CatalogFields.PRODUCT, name)), Occur.FILTER)
                      .add(
                          new TermQuery(
                              new Term(CatalogFields.DOC_TYPE, CatalogFields.DOC_DATASET)),
                          Occur.FILTER)
                      .build();
              List<CatalogEntry> entries = new ArrayList<>();
              StoredFields stored = searcher.storedFields();
              for (ScoreDoc hit :
                  searcher.search(query, Math.max(1, searcher.count(query))).scoreDocs) {
                entries.add(
                    entryOf(
                        stored
                            .document(hit.doc, Set.of(CatalogFields.SOURCE))
                            .getBinaryValue(CatalogFields.SOURCE)));
              }
              return entries;
            });
    if (datasets.isEmpty()) {
      return Optional.empty();
    }
    List<CatalogEntry> byId =
        datasets.stream().sorted(Comparator.comparing(CatalogEntry::id)).toList();
    return Optional.of(
        new DataProduct(
            name,
            byId.stream().map(CatalogEntry::domain).distinct().sorted().toList(),
            byId.stream().map(CatalogEntry::owner).distinct().sorted().toList(),
            byId));
  }

  /** Calls {@code consumer} with every entry in the index, as of the last refresh. */
  public void forEachEntry(Consumer<CatalogEntry> consumer) throws IOException {
    withSearcher(
        searcher -> {
          Term datasets = new Term(CatalogFields.DOC_TYPE, CatalogFields.DOC_DATASET);
          for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            PostingsEnum postings = leaf.reader().postings(datasets, PostingsEnum.NONE);
            if (postings == null) {
              continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            StoredFields stored = leaf.reader().storedFields();
            for (int doc = postings.nextDoc();
                doc != DocIdSetIterator.NO_MORE_DOCS;
                doc = postings.nextDoc()) {
              if (live == null || live.get(doc)) {
                BytesRef source =
                    stored
                        .document(doc, Set.of(CatalogFields.SOURCE))
                        .getBinaryValue(CatalogFields.SOURCE);
                consumer.accept(entryOf(source));
              }
            }
          }
          return null;
        });
  }

  /** Datasets and fields per product, ordered by product name, as of the last refresh. */
  public List<ProductCount> countsByProduct() throws IOException {
    return withSearcher(
        searcher -> {
          List<String> products = new ArrayList<>();
          for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(CatalogFields.PRODUCT);
            if (terms == null) {
              continue;
            }
            TermsEnum e = terms.iterator();
            for (BytesRef term = e.next(); term != null; term = e.next()) {
              products.add(term.utf8ToString());
            }
          }
          List<ProductCount> counts = new ArrayList<>();
          for (String product : products.stream().distinct().sorted().toList()) {
            long datasets = count(searcher, product, CatalogFields.DOC_DATASET);
            long fields = count(searcher, product, CatalogFields.DOC_FIELD);
            if (datasets + fields > 0) {
              counts.add(new ProductCount(product, datasets, fields));
            }
          }
          return counts;
        });
  }

  /**
   * Runs {@code action} with the current searcher and releases it afterwards. The searcher must not
   * be used after {@code action} returns.
   */
  public <T> T withSearcher(SearcherAction<T> action) throws IOException {
    IndexSearcher searcher = searchers.acquire();
    try {
      return action.apply(searcher);
    } finally {
      searchers.release(searcher);
    }
  }

  /**
   * Runs {@code action} with a searcher of the current reader whose searches stop collecting once
   * {@code timeout} says so ({@link IndexSearcher#timedOut()} then tells). The searcher is the
   * action's own: a timeout set on the shared one would cut other searches short.
   */
  public <T> T withSearcher(QueryTimeout timeout, SearcherAction<T> action) throws IOException {
    IndexSearcher shared = searchers.acquire();
    try {
      IndexSearcher own = searcherOver(shared.getIndexReader());
      own.setTimeout(timeout);
      return action.apply(own);
    } finally {
      searchers.release(shared);
    }
  }

  /** Work done with a searcher. */
  @FunctionalInterface
  public interface SearcherAction<T> {
    /** Does the work. */
    T apply(IndexSearcher searcher) throws IOException;
  }

  /** Commits what was applied, then closes the index and its directory. */
  @Override
  public void close() throws IOException {
    try {
      commit();
    } finally {
      closeQuietlyAfter(writer::close);
    }
  }

  /**
   * Discards everything applied since the last commit and closes the index, as a crash would; the
   * next {@link #open} sees the last commit.
   */
  public void rollback() throws IOException {
    closeQuietlyAfter(writer::rollback);
  }

  private void closeQuietlyAfter(IoAction action) throws IOException {
    if (lanes != null) {
      lanes.shutdownNow();
    }
    if (searchThreads != null) {
      searchThreads.shutdown();
    }
    try {
      action.run();
    } finally {
      try {
        searchers.close();
      } finally {
        directory.close();
      }
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static CatalogEntry entryOf(BytesRef source) {
    return CatalogCodec.readTrusted(source.bytes, source.offset, source.length);
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger number = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + number.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static long count(IndexSearcher searcher, String product, String docType)
      throws IOException {
    return searcher.count(
        new BooleanQuery.Builder()
            .add(new TermQuery(new Term(CatalogFields.PRODUCT, product)), Occur.FILTER)
            .add(new TermQuery(new Term(CatalogFields.DOC_TYPE, docType)), Occur.FILTER)
            .build());
  }

  private static Map<String, String> lastCommitData(IndexWriter writer) {
    Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
    Map<String, String> map = new TreeMap<>();
    if (data != null) {
      data.forEach(e -> map.put(e.getKey(), e.getValue()));
    }
    return map;
  }

  private static boolean isCurrentFormat(Map<String, String> userData) {
    return FORMAT.equals(userData.get(FORMAT_KEY))
        && Integer.toString(FORMAT_VERSION).equals(userData.get(FORMAT_VERSION_KEY));
  }

  private static Map<Integer, Long> offsetsOf(Map<String, String> userData) {
    Map<Integer, Long> offsets = new TreeMap<>();
    userData.forEach(
        (key, value) -> {
          if (key.startsWith(OFFSET_PREFIX)) {
            offsets.put(
                Integer.parseInt(key.substring(OFFSET_PREFIX.length())), Long.parseLong(value));
          }
        });
    return Collections.unmodifiableMap(offsets);
  }
}
