/** Change data capture: turning a product database's write-ahead log into change events. */
@NullMarked
package io.meshgate.product.cdc;

import org.jspecify.annotations.NullMarked;
