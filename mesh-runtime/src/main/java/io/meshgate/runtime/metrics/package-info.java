/**
 * The windowed metric record published on {@code mesh.<product>.metrics} and its checked JSON
 * codec.
 */
@NullMarked
package io.meshgate.runtime.metrics;

import org.jspecify.annotations.NullMarked;
