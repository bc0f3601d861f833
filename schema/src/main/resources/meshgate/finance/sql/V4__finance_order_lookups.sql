-- Finance answers, per distribution order, its invoice and the ledger transactions it booked
-- (Order.invoice, Order.ledgerTransactions): look both up by the order.
CREATE INDEX invoices_order_idx ON finance_read.invoices (order_id);
/* [jooq ignore start] */
-- (jOOQ's code generator cannot index a TEXT column; indexes do not shape generated code.)
CREATE INDEX ledger_transactions_reference_idx ON finance_read.ledger_transactions (reference);
/* [jooq ignore stop] */
