/** The embedded launcher: the one place that wires the whole mesh together. */
@NullMarked
package io.meshgate.launcher;

import org.jspecify.annotations.NullMarked;
