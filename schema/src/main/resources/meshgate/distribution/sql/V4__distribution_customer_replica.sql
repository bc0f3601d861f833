-- Distribution's own replica of the sales customer data it needs to ship orders (country,
-- segment), fed from mesh.sales.customer.changes: distribution never reads sales' database,
-- and keeps serving destinations while sales is down. Same bookkeeping as the read model, so
-- redelivered or stale customer events never overwrite newer ones.
CREATE TABLE distribution_read.customers (
    id                 UUID         NOT NULL PRIMARY KEY,
    country            CHAR(2),
    segment            VARCHAR(32),
    deleted            BOOLEAN      NOT NULL,
    source_lsn         BIGINT       NOT NULL,
    source_tx_id       BIGINT,
    source_commit_time TIMESTAMP WITH TIME ZONE,
    applied_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
