/**
 * Field-level lineage across products: an in-memory graph of the lineage edges every catalog entry
 * declares, kept in step with the index, traversed breadth-first with depth and size limits.
 */
@NullMarked
package io.meshgate.catalog.lineage;

import org.jspecify.annotations.NullMarked;
