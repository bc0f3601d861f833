package io.meshgate.catalog.lineage;

import java.util.List;

/**
 * Everything downstream of a node, grouped by dataset: what a change to the node may break.
 *
 * @param start the changed field or dataset
 * @param datasets affected datasets, nearest first
 * @param partial true when a limit stopped the traversal; more may be affected
 */
public record ImpactReport(String start, List<ImpactedDataset> datasets, boolean partial) {

  public ImpactReport {
    datasets = List.copyOf(datasets);
  }

  /**
   * One affected dataset.
   *
   * @param dataset dataset id
   * @param product owning product
   * @param fields affected field node ids
   * @param degree hops from the start to the nearest affected field
   */
  public record ImpactedDataset(String dataset, String product, List<String> fields, int degree) {
    public ImpactedDataset {
      fields = List.copyOf(fields);
    }
  }
}
