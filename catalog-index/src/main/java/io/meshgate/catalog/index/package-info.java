/**
 * The catalog's Lucene index: one document per dataset and one per field, upserted and deleted by
 * dataset id as {@code mesh.catalog} records arrive, refreshed near-real-time, committed durably
 * together with the consumed offsets so that a restart resumes and a rebuild converges to exactly
 * the topic's state.
 */
@NullMarked
package io.meshgate.catalog.index;

import org.jspecify.annotations.NullMarked;
