/** The public surface of the product library: what a data product declares about itself. */
@NullMarked
package io.meshgate.product.api;

import org.jspecify.annotations.NullMarked;
