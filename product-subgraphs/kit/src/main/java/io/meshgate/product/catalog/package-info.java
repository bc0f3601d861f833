/**
 * The product's own data catalog: entries for its tables, topics, read models, GraphQL types and
 * metrics, derived from its contracts and live schema, published to the compacted topic {@code
 * mesh.catalog} for the enterprise catalog.
 */
@NullMarked
package io.meshgate.product.catalog;

import org.jspecify.annotations.NullMarked;
