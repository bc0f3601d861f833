-- The finance data product's operational tables: the source of truth that
-- mutations write and Debezium captures from the write-ahead log. Customers are
-- owned by sales and orders by distribution; customer_id and order_id are
-- references by id across products, not foreign keys.
CREATE SCHEMA IF NOT EXISTS finance;

CREATE TABLE finance.accounts (
    id           UUID          NOT NULL PRIMARY KEY,
    customer_id  UUID          NOT NULL,
    currency     CHAR(3)       NOT NULL,
    opened_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT accounts_currency_check CHECK (currency = UPPER(currency))
);

CREATE INDEX accounts_customer_idx ON finance.accounts (customer_id);

CREATE TABLE finance.ledger_transactions (
    id          UUID          NOT NULL PRIMARY KEY,
    account_id  UUID          NOT NULL REFERENCES finance.accounts (id),
    kind        VARCHAR(8)    NOT NULL,
    amount      NUMERIC(12,2) NOT NULL,
    currency    CHAR(3)       NOT NULL,
    reference   TEXT          NOT NULL,
    booked_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ledger_transactions_kind_check CHECK (kind IN ('DEBIT', 'CREDIT')),
    CONSTRAINT ledger_transactions_amount_check CHECK (amount > 0),
    CONSTRAINT ledger_transactions_currency_check CHECK (currency = UPPER(currency))
);

CREATE INDEX ledger_transactions_account_idx ON finance.ledger_transactions (account_id);

CREATE TABLE finance.invoices (
    id          UUID          NOT NULL PRIMARY KEY,
    account_id  UUID          NOT NULL REFERENCES finance.accounts (id),
    order_id    UUID          NOT NULL,
    amount      NUMERIC(12,2) NOT NULL,
    currency    CHAR(3)       NOT NULL,
    status      VARCHAR(8)    NOT NULL,
    issued_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT invoices_amount_check CHECK (amount >= 0),
    CONSTRAINT invoices_currency_check CHECK (currency = UPPER(currency)),
    CONSTRAINT invoices_status_check CHECK (status IN ('OPEN', 'PAID', 'VOID'))
);

CREATE INDEX invoices_account_idx ON finance.invoices (account_id);

/* [jooq ignore start] */
-- Full before-images on update and delete, so every change event carries the whole row.
ALTER TABLE finance.accounts REPLICA IDENTITY FULL;
ALTER TABLE finance.ledger_transactions REPLICA IDENTITY FULL;
ALTER TABLE finance.invoices REPLICA IDENTITY FULL;
COMMENT ON TABLE finance.accounts IS 'Accounts of sales customers, owned by the finance data product.';
COMMENT ON TABLE finance.ledger_transactions IS 'Debits and credits booked on an account; append-only.';
COMMENT ON TABLE finance.invoices IS 'Invoices of distribution orders, billed to an account.';
/* [jooq ignore stop] */
