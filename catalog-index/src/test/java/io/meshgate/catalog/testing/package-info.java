/** Test fixtures shared by the catalog's tests: entries and an in-memory catalog topic. */
@NullMarked
package io.meshgate.catalog.testing;

import org.jspecify.annotations.NullMarked;
