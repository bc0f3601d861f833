/** Retrying what fails for a while: the pauses between attempts. */
@NullMarked
package io.meshgate.runtime.retry;

import org.jspecify.annotations.NullMarked;
