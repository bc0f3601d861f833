/**
 * Load harnesses run against a whole embedded mesh. They measure; they never gate the build, so
 * they live here as programs rather than as timed tests.
 */
@NullMarked
package io.meshgate.launcher.bench;

import org.jspecify.annotations.NullMarked;
