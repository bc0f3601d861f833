/**
 * The supergraph: which subgraph resolves which type and field (join spec), and the API schema
 * clients see.
 */
@NullMarked
package io.meshgate.gateway.supergraph;

import org.jspecify.annotations.NullMarked;
