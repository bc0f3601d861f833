/**
 * What the audit log hands out to be checked elsewhere: an entry's inclusion under a signed tree
 * head, or the consistency of two signed heads, and their versioned JSON form ({@code
 * meshgate.audit.proof}).
 */
@NullMarked
package io.meshgate.audit.proof;

import org.jspecify.annotations.NullMarked;
