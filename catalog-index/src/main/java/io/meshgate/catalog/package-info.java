/**
 * The enterprise data product catalog. {@link io.meshgate.catalog.Catalog} is the door: it opens
 * the Lucene index ({@code index}), its search ({@code search}) and the lineage graph that follows
 * it ({@code lineage}); {@code model} holds what products publish on {@code mesh.catalog}.
 */
@NullMarked
package io.meshgate.catalog;

import org.jspecify.annotations.NullMarked;
