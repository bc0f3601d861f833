/**
 * SHA-256 digests as values: the one hash function the audit log uses for its chain, its Merkle
 * tree and the payloads it signs.
 */
@NullMarked
package io.meshgate.audit.hash;

import org.jspecify.annotations.NullMarked;
