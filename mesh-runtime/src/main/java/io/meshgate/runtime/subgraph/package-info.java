/**
 * Federation v2 GraphQL subgraph support for every part of the mesh (products, catalog, audit log)
 * on Spring for GraphQL: coded input errors, paging, the limits every subgraph applies and
 * GraphiQL.
 */
@NullMarked
package io.meshgate.runtime.subgraph;

import org.jspecify.annotations.NullMarked;
