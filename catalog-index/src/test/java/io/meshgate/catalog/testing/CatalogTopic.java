package io.meshgate.catalog.testing;

import io.meshgate.catalog.index.CatalogRecord;
import io.meshgate.catalog.model.CatalogEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory stand-in for the compacted {@code mesh.catalog} topic: records partitioned by key,
 * offsets per partition, and the state a compacted topic converges to.
 */
public final class CatalogTopic {

  private final List<List<CatalogRecord>> partitions = new ArrayList<>();

  public CatalogTopic(int partitionCount) {
    for (int i = 0; i < partitionCount; i++) {
      partitions.add(new ArrayList<>());
    }
  }

  /** Appends an entry under its id. */
  public CatalogRecord publish(CatalogEntry entry) {
    int partition = partitionOf(entry.id());
    CatalogRecord record = CatalogRecord.upsert(entry, partition, partitions.get(partition).size());
    partitions.get(partition).add(record);
    return record;
  }

  /** Appends a tombstone for {@code datasetId}. */
  public CatalogRecord remove(String datasetId) {
    int partition = partitionOf(datasetId);
    CatalogRecord record =
        CatalogRecord.tombstone(datasetId, partition, partitions.get(partition).size());
    partitions.get(partition).add(record);
    return record;
  }

  /**
   * Every record from the given next offsets on (absent partitions from 0), partitions interleaved.
   */
  public List<CatalogRecord> readFrom(Map<Integer, Long> nextOffsets) {
    List<CatalogRecord> records = new ArrayList<>();
    int longest = partitions.stream().mapToInt(List::size).max().orElse(0);
    for (int i = 0; i < longest; i++) {
      for (int p = 0; p < partitions.size(); p++) {
        List<CatalogRecord> partition = partitions.get(p);
        if (i < partition.size() && i >= nextOffsets.getOrDefault(p, 0L)) {
          records.add(partition.get(i));
        }
      }
    }
    return records;
  }

  /** Every record from the beginning. */
  public List<CatalogRecord> readAll() {
    return readFrom(Map.of());
  }

  /** Number of records in all partitions. */
  public long size() {
    return partitions.stream().mapToLong(List::size).sum();
  }

  /**
   * What the compacted topic holds: the latest entry of every key whose latest record is no
   * tombstone.
   */
  public Map<String, CatalogEntry> state() {
    Map<String, CatalogEntry> state = new TreeMap<>();
    for (List<CatalogRecord> partition : partitions) {
      Map<String, CatalogRecord> latest = new LinkedHashMap<>();
      partition.forEach(r -> latest.put(r.key(), r));
      latest.forEach(
          (key, r) -> {
            if (r.entry() != null) {
              state.put(key, r.entry());
            }
          });
    }
    return state;
  }

  private int partitionOf(String key) {
    return Math.floorMod(key.hashCode(), partitions.size());
  }
}
