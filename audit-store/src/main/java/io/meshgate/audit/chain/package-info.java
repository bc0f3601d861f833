/**
 * The hash chain: change events as audit entries, their canonical encoding, the chain hash linking
 * each entry to the one before, and the verifier that finds the first entry that does not fit.
 */
@NullMarked
package io.meshgate.audit.chain;

import org.jspecify.annotations.NullMarked;
