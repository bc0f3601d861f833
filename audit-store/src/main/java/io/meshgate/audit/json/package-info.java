/**
 * The JSON Canonicalization Scheme (RFC 8785): the one byte form of a JSON value that the audit log
 * hashes and signs.
 */
@NullMarked
package io.meshgate.audit.json;

import org.jspecify.annotations.NullMarked;
