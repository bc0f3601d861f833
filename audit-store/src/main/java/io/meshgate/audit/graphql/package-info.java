/**
 * The audit log's Federation v2 subgraph: queries over entries, verification, proofs and heads
 * ({@link io.meshgate.audit.graphql.AuditQueries}), and a {@code history} field on every product
 * entity type, generated from the products' contracts ({@link
 * io.meshgate.audit.graphql.ProductContracts}, {@link io.meshgate.audit.graphql.HistoryTypes}).
 */
@NullMarked
package io.meshgate.audit.graphql;

import org.jspecify.annotations.NullMarked;
