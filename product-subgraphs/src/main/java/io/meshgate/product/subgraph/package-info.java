/** Bootstrapping a product's Federation v2 GraphQL subgraph on Spring for GraphQL. */
@NullMarked
package io.meshgate.product.subgraph;

import org.jspecify.annotations.NullMarked;
