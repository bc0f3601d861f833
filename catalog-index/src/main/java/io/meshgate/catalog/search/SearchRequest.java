package io.meshgate.catalog.search;

import io.meshgate.catalog.index.CatalogFields;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One catalog search.
 *
 * @param query the user's query: words, {@code "phrases"}, {@code prefix*}, {@code field:value} on
 *     a searchable field, {@code /bounded regex/}, {@code fuzzy~1}, {@code AND}/{@code OR}/{@code
 *     NOT}, parentheses; blank matches everything (the limits are in the catalog's README)
 * @param filters facet values a hit must have, by dimension ({@link CatalogFields#FACETS}); values
 *     of one dimension are alternatives, dimensions must all hold; at most {@value
 *     #MAX_FILTER_VALUES} values per dimension
 * @param facets dimensions whose value counts to return
 * @param first page size, 1 to {@value #MAX_PAGE_SIZE}
 * @param after cursor of the last hit of the previous page, null for the first page
 */
public record SearchRequest(
    String query,
    Map<String, List<String>> filters,
    List<String> facets,
    int first,
    @Nullable String after) {

  /** Largest page size. */
  public static final int MAX_PAGE_SIZE = 100;

  /** Page size when none is asked for. */
  public static final int DEFAULT_PAGE_SIZE = 10;

  /** Most values one filter dimension may list. */
  public static final int MAX_FILTER_VALUES = 100;

  /** Longest filter value, in characters. */
  public static final int MAX_FILTER_VALUE_LENGTH = 200;

  public SearchRequest {
    if (first < 1 || first > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "first must be between 1 and " + MAX_PAGE_SIZE + ": " + first);
    }
    Map<String, List<String>> copy = new LinkedHashMap<>();
    filters.forEach((dim, values) -> copy.put(dim, List.copyOf(values)));
    filters = Collections.unmodifiableMap(copy);
    facets = List.copyOf(facets);
  }

  /**
   * What is wrong with the {@code values} of filter dimension {@code dim}: more than {@value
   * #MAX_FILTER_VALUES} of them, or one longer than {@value #MAX_FILTER_VALUE_LENGTH} characters;
   * null when nothing is.
   */
  public static @Nullable String filterValuesProblem(String dim, List<String> values) {
    if (values.size() > MAX_FILTER_VALUES) {
      return "filter on '"
          + dim
          + "' lists "
          + values.size()
          + " values, at most "
          + MAX_FILTER_VALUES
          + " are allowed";
    }
    for (String value : values) {
      if (value.length() > MAX_FILTER_VALUE_LENGTH) {
        return "filter on '"
            + dim
            + "' has a value of "
            + value.length()
            + " characters, at most "
            + MAX_FILTER_VALUE_LENGTH
            + " are allowed";
      }
    }
    return null;
  }

  /** The first page of {@code query}, unfiltered, with every facet. */
  public static SearchRequest of(String query) {
    return new SearchRequest(query, Map.of(), CatalogFields.FACETS, DEFAULT_PAGE_SIZE, null);
  }

  /** This request with another page size. */
  public SearchRequest first(int pageSize) {
    return new SearchRequest(query, filters, facets, pageSize, after);
  }

  /** This request for the page after {@code cursor}. */
  public SearchRequest after(@Nullable String cursor) {
    return new SearchRequest(query, filters, facets, first, cursor);
  }

  /** This request restricted to hits having one of {@code values} in dimension {@code dim}. */
  public SearchRequest filter(String dim, String... values) {
    Map<String, List<String>> more = new LinkedHashMap<>(filters);
    more.put(dim, List.of(values));
    return new SearchRequest(query, more, facets, first, after);
  }

  /** This request counting only the given facet dimensions. */
  public SearchRequest facets(List<String> dims) {
    return new SearchRequest(query, filters, dims, first, after);
  }
}
