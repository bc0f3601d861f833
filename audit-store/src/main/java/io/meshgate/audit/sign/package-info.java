/**
 * Signed tree heads: the product's Merkle root at a size and time, signed with the log's Ed25519
 * key, which is created once, kept on disk and whose public half is published.
 */
@NullMarked
package io.meshgate.audit.sign;

import org.jspecify.annotations.NullMarked;
