-- The sales subgraph's read model: fed only from mesh.sales.customer.changes.
-- Each row remembers the source position of the change that produced it, so a
-- redelivered or stale event never overwrites a newer one. A delete leaves a
-- tombstone (deleted = true) for the same reason: a late, older upsert must not
-- resurrect a deleted customer.
CREATE SCHEMA IF NOT EXISTS sales_read;

CREATE TABLE sales_read.customers (
    id                 UUID         NOT NULL PRIMARY KEY,
    name               VARCHAR(200),
    email              VARCHAR(320),
    country            CHAR(2),
    segment            VARCHAR(32),
    created_at         TIMESTAMP WITH TIME ZONE,
    updated_at         TIMESTAMP WITH TIME ZONE,
    deleted            BOOLEAN      NOT NULL,
    source_lsn         BIGINT       NOT NULL,
    source_tx_id       BIGINT,
    source_commit_time TIMESTAMP WITH TIME ZONE,
    applied_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX customers_live_country_idx ON sales_read.customers (country, id);
