/**
 * The finance data product: accounts of sales customers, their ledger transactions and invoices of
 * orders.
 */
@NullMarked
package io.meshgate.product.finance;

import org.jspecify.annotations.NullMarked;
