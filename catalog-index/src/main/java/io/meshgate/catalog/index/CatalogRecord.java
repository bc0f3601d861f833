package io.meshgate.catalog.index;

import io.meshgate.catalog.model.CatalogEntry;
import io.meshgate.catalog.model.NodeId;
import org.jspecify.annotations.Nullable;

/**
 * One consumed {@code mesh.catalog} record: an entry, or a tombstone when {@code entry} is null,
 * with its position in the topic.
 *
 * @param key the record key, a dataset id
 * @param entry the decoded value, null for a tombstone
 * @param partition topic partition
 * @param offset offset within the partition
 */
public record CatalogRecord(String key, @Nullable CatalogEntry entry, int partition, long offset) {

  public CatalogRecord {
    if (NodeId.parse(key).isField()) {
      throw new IllegalArgumentException(
          "record key '" + key + "' is a field id, expected a dataset id");
    }
    if (entry != null && !entry.id().equals(key)) {
      throw new IllegalArgumentException(
          "record key '" + key + "' is not the entry's id '" + entry.id() + "'");
    }
    if (partition < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "negative partition or offset: " + partition + "/" + offset);
    }
  }

  /** An upsert of {@code entry} at the given position. */
  public static CatalogRecord upsert(CatalogEntry entry, int partition, long offset) {
    return new CatalogRecord(entry.id(), entry, partition, offset);
  }

  /** A tombstone for {@code datasetId} at the given position. */
  public static CatalogRecord tombstone(String datasetId, int partition, long offset) {
    return new CatalogRecord(datasetId, null, partition, offset);
  }

  /** True when this record removes its dataset. */
  public boolean isTombstone() {
    return entry == null;
  }
}
