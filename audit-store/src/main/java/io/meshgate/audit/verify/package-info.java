/**
 * The command-line verifier: checks an audit proof file against a published public key, offline.
 */
@NullMarked
package io.meshgate.audit.verify;

import org.jspecify.annotations.NullMarked;
