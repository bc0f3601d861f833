/**
 * Searching the catalog: BM25 over names, descriptions and labels with exact names always first,
 * typo tolerance, phrases and prefixes, highlights, facets with drill-down filters, stable cursor
 * pagination, autocomplete and did-you-mean.
 */
@NullMarked
package io.meshgate.catalog.search;

import org.jspecify.annotations.NullMarked;
