package io.meshgate.catalog.index;

import io.meshgate.catalog.model.CatalogEntry;

/**
 * Hears every change the index applies, on the applying thread; e.g. the lineage graph keeps itself
 * in step this way. Changes of one dataset arrive in order, changes of different datasets may
 * arrive concurrently from the index threads, so implementations must be thread-safe. Every hook
 * does nothing by default.
 */
public interface CatalogListener {

  /** {@code entry} was inserted or replaced its previous version. */
  default void upserted(CatalogEntry entry) {}

  /** The dataset {@code datasetId} was removed (it may not have existed). */
  default void deleted(String datasetId) {}

  /** Everything was removed, at the start of a rebuild or after an incompatible format. */
  default void cleared() {}
}
