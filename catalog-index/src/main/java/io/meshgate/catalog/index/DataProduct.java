package io.meshgate.catalog.index;

import io.meshgate.catalog.model.CatalogEntry;
import java.util.List;

/**
 * A data product as its catalog entries describe it.
 *
 * @param name product name
 * @param domains business domains its datasets name (usually one)
 * @param owners owners of its datasets
 * @param datasets its datasets, ordered by id
 */
public record DataProduct(
    String name, List<String> domains, List<String> owners, List<CatalogEntry> datasets) {

  public DataProduct {
    domains = List.copyOf(domains);
    owners = List.copyOf(owners);
    datasets = List.copyOf(datasets);
  }

  /** Number of fields over all its datasets. */
  public int fieldCount() {
    return datasets.stream().mapToInt(d -> d.fields().size()).sum();
  }
}
