package io.meshgate.catalog;

import io.meshgate.catalog.index.CatalogIndex;
import io.meshgate.catalog.index.IndexOptions;
import io.meshgate.catalog.lineage.LineageGraph;
import io.meshgate.catalog.search.CatalogSearch;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.lucene.store.FSDirectory;

/**
 * The enterprise catalog in one object: the index that {@code mesh.catalog} records go into, the
 * search over it and the lineage graph that follows it.
 *
 * <p>A consumer seeks each partition to {@code index().committedOffsets()} (the beginning when
 * absent), passes each poll to {@code index().applyAll(...)} as {@link
 * io.meshgate.catalog.index.CatalogRecord}s (values decoded by {@link
 * io.meshgate.catalog.model.CatalogCodec}, null values as tombstones), then calls {@code
 * index().refresh()} for near-real-time search and, every few seconds, {@code index().commit()}. An
 * API serves {@link #search()} and {@link #lineage()}.
 */
public final class Catalog implements Closeable {

  private final CatalogIndex index;
  private final CatalogSearch search;
  private final LineageGraph lineage;

  private Catalog(CatalogIndex index, Duration searchTimeBudget) throws IOException {
    this.index = index;
    this.search = new CatalogSearch(index, searchTimeBudget);
    this.lineage = LineageGraph.follow(index);
  }

  /**
   * Opens (or creates) the catalog whose index lives in {@code directory}; each search stops after
   * {@code searchTimeBudget} with the hits found so far, flagged partial.
   */
  public static Catalog open(Path directory, IndexOptions options, Duration searchTimeBudget)
      throws IOException {
    return new Catalog(CatalogIndex.open(FSDirectory.open(directory), options), searchTimeBudget);
  }

  /** Opens (or creates) the catalog whose index lives in {@code directory}. */
  public static Catalog open(Path directory, IndexOptions options) throws IOException {
    return open(directory, options, CatalogSearch.DEFAULT_TIME_BUDGET);
  }

  /** Opens (or creates) the catalog in {@code directory} with default options. */
  public static Catalog open(Path directory) throws IOException {
    return open(directory, IndexOptions.defaults());
  }

  /** Where records go in, where offsets, lookups and counts come from. */
  public CatalogIndex index() {
    return index;
  }

  /** Search, suggestions and did-you-mean. */
  public CatalogSearch search() {
    return search;
  }

  /** Field-level lineage and impact analysis, kept in step with the index. */
  public LineageGraph lineage() {
    return lineage;
  }

  /** Commits what was applied and closes the index. */
  @Override
  public void close() throws IOException {
    index.close();
  }
}
