/**
 * The distribution data product: warehouses, orders of sales customers, their lines and shipments.
 */
@NullMarked
package io.meshgate.product.distribution;

import org.jspecify.annotations.NullMarked;
