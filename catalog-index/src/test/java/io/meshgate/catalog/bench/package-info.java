/**
 * Load harness of the catalog: a synthetic catalog and the figures of the indexing, search and
 * lineage goals.
 */
@NullMarked
package io.meshgate.catalog.bench;

import org.jspecify.annotations.NullMarked;
