/** Running a data product: its settings, its pipeline lifecycle and its Spring application. */
@NullMarked
package io.meshgate.product.runtime;

import org.jspecify.annotations.NullMarked;
