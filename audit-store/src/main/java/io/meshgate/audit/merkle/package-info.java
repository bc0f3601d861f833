/**
 * Merkle trees over a product's log as RFC 9162 (Certificate Transparency 2.0) defines them: leaf
 * hashes {@code SHA-256(0x00 || leaf)}, interior nodes {@code SHA-256(0x01 || left || right)}, tree
 * heads, inclusion and consistency proofs and their verification algorithms.
 */
@NullMarked
package io.meshgate.audit.merkle;

import org.jspecify.annotations.NullMarked;
