/** Dead letters: a record that cannot be applied, sent with its reason to its dead-letter topic. */
@NullMarked
package io.meshgate.runtime.deadletter;

import org.jspecify.annotations.NullMarked;
