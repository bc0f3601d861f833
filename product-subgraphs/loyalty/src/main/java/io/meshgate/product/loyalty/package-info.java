/**
 * The loyalty data product, the example fourth product: memberships of sales' customers in a
 * loyalty programme. Built only for the launcher's tests, to show a product is a module of its own.
 */
@NullMarked
package io.meshgate.product.loyalty;

import org.jspecify.annotations.NullMarked;
