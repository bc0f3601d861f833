/**
 * The settings a data product runs with ({@code meshgate.*}); every other package of the kit reads
 * them, so they depend on none of them.
 */
@NullMarked
package io.meshgate.product.config;

import org.jspecify.annotations.NullMarked;
