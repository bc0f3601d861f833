/**
 * The audit log in PostgreSQL: {@link io.meshgate.audit.store.AuditLog} appends change events to
 * each product's hash chain exactly once per source position, issues signed tree heads, answers
 * proofs and verifies what is stored.
 */
@NullMarked
package io.meshgate.audit.store;

import org.jspecify.annotations.NullMarked;
