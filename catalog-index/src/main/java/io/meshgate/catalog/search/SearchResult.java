package io.meshgate.catalog.search;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a catalog search.
 *
 * @param total number of hits over all pages; an estimate when {@code approximate}
 * @param approximate whether {@code total} and the facet counts are estimated from a sample of the
 *     hits: only when there are more than {@link CatalogSearch#EXACT_COUNTS_UP_TO} hits
 * @param hits this page's hits, best first
 * @param facets value counts over all hits, per requested dimension (estimates when {@code
 *     approximate})
 * @param didYouMean a corrected query when this one found nothing and a correction finds something
 * @param pageInfo where the next page starts
 * @param partial whether the search ran out of its time budget: the hits are the best of those
 *     found until then, and {@code total} and the facets count only what was seen
 */
public record SearchResult(
    long total,
    boolean approximate,
    List<Hit> hits,
    List<Facet> facets,
    @Nullable String didYouMean,
    PageInfo pageInfo,
    boolean partial) {

  public SearchResult {
    hits = List.copyOf(hits);
    facets = List.copyOf(facets);
  }

  /** A complete result. */
  public SearchResult(
      long total,
      boolean approximate,
      List<Hit> hits,
      List<Facet> facets,
      @Nullable String didYouMean,
      PageInfo pageInfo) {
    this(total, approximate, hits, facets, didYouMean, pageInfo, false);
  }

  /** A complete result with exact counts. */
  public SearchResult(
      long total,
      List<Hit> hits,
      List<Facet> facets,
      @Nullable String didYouMean,
      PageInfo pageInfo) {
    this(total, false, hits, facets, didYouMean, pageInfo, false);
  }

  /**
   * One hit: a dataset or a field.
   *
   * @param id the dataset id or field node id
   * @param name the dataset's or field's name
   * @param kind the dataset kind ({@code TABLE}, {@code TOPIC}...) or {@code FIELD}
   * @param product owning product
   * @param dataset the dataset id (the hit's own id for datasets)
   * @param score relevance; exact name matches score above every other hit
   * @param highlights matched fragments per matched field
   */
  public record Hit(
      String id,
      String name,
      String kind,
      String product,
      String dataset,
      float score,
      List<Highlight> highlights) {
    public Hit {
      highlights = List.copyOf(highlights);
    }
  }

  /**
   * Fragments of one field with the matched words marked {@code <em>...</em>} (HTML-escaped).
   *
   * @param field the matched field: name, description, fields (a dataset's field names) or tags
   * @param fragments marked fragments, best first
   */
  public record Highlight(String field, List<String> fragments) {
    public Highlight {
      fragments = List.copyOf(fragments);
    }
  }

  /**
   * Counts of one facet dimension.
   *
   * @param name dimension
   * @param values most frequent values first
   */
  public record Facet(String name, List<FacetValue> values) {
    public Facet {
      values = List.copyOf(values);
    }
  }

  /**
   * One facet value and the number of hits having it.
   *
   * @param value the value
   * @param count hits with the value
   */
  public record FacetValue(String value, long count) {}

  /**
   * Pagination state.
   *
   * @param endCursor cursor of the last hit on this page, null when the page is empty
   * @param hasNextPage whether more hits follow
   */
  public record PageInfo(@Nullable String endCursor, boolean hasNextPage) {}
}
