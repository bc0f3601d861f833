-- The finance subgraph's read model: fed only from the mesh.finance.<entity>.changes
-- topics. Each row remembers the source position of the change that produced it,
-- so a redelivered or stale event never overwrites a newer one; a delete leaves a
-- tombstone (deleted = true). No foreign keys: entities arrive on separate
-- topics, in no guaranteed order.
CREATE SCHEMA IF NOT EXISTS finance_read;

CREATE TABLE finance_read.accounts (
    id                 UUID          NOT NULL PRIMARY KEY,
    customer_id        UUID,
    currency           CHAR(3),
    opened_at          TIMESTAMP WITH TIME ZONE,
    updated_at         TIMESTAMP WITH TIME ZONE,
    deleted            BOOLEAN       NOT NULL,
    source_lsn         BIGINT        NOT NULL,
    source_tx_id       BIGINT,
    source_commit_time TIMESTAMP WITH TIME ZONE,
    applied_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX accounts_live_customer_idx ON finance_read.accounts (customer_id, id);

CREATE TABLE finance_read.ledger_transactions (
    id                 UUID          NOT NULL PRIMARY KEY,
    account_id         UUID,
    kind               VARCHAR(8),
    amount             NUMERIC(12,2),
    currency           CHAR(3),
    reference          TEXT,
    booked_at          TIMESTAMP WITH TIME ZONE,
    deleted            BOOLEAN       NOT NULL,
    source_lsn         BIGINT        NOT NULL,
    source_tx_id       BIGINT,
    source_commit_time TIMESTAMP WITH TIME ZONE,
    applied_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX ledger_transactions_live_account_idx ON finance_read.ledger_transactions (account_id, booked_at);

CREATE TABLE finance_read.invoices (
    id                 UUID          NOT NULL PRIMARY KEY,
    account_id         UUID,
    order_id           UUID,
    amount             NUMERIC(12,2),
    currency           CHAR(3),
    status             VARCHAR(8),
    issued_at          TIMESTAMP WITH TIME ZONE,
    updated_at         TIMESTAMP WITH TIME ZONE,
    deleted            BOOLEAN       NOT NULL,
    source_lsn         BIGINT        NOT NULL,
    source_tx_id       BIGINT,
    source_commit_time TIMESTAMP WITH TIME ZONE,
    applied_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX invoices_live_account_idx ON finance_read.invoices (account_id, id);
