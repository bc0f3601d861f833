/**
 * Composition: subgraph SDLs become one supergraph (Federation v2 rules), with errors that name the
 * subgraph, type and field.
 */
@NullMarked
package io.meshgate.gateway.compose;

import org.jspecify.annotations.NullMarked;
