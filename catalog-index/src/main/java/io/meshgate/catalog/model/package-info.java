/**
 * The catalog document model: what a data product publishes about each of its datasets on the
 * compacted topic {@code mesh.catalog} (format {@code meshgate.catalog-entry}, JSON Schema in
 * {@code schema/}), the node-id scheme of datasets and fields, and the JSON codec.
 */
@NullMarked
package io.meshgate.catalog.model;

import org.jspecify.annotations.NullMarked;
