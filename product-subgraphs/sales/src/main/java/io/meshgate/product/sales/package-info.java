/** The sales data product: customers. */
@NullMarked
package io.meshgate.product.sales;

import org.jspecify.annotations.NullMarked;
