-- The distribution subgraph's read model: fed only from the
-- mesh.distribution.<entity>.changes topics. Each row remembers the source
-- position of the change that produced it, so a redelivered or stale event never
-- overwrites a newer one; a delete leaves a tombstone (deleted = true). No
-- foreign keys: entities arrive on separate topics, in no guaranteed order.
CREATE SCHEMA IF NOT EXISTS distribution_read;

CREATE TABLE distribution_read.warehouses (
    id                 UUID         NOT NULL PRIMARY KEY,
    code               VARCHAR(16),
    name               VARCHAR(200),
    country            CHAR(2),
    deleted            BOOLEAN      NOT NULL,
    source_lsn         BIGINT       NOT NULL,
    source_tx_id       BIGINT,
    source_commit_time TIMESTAMP WITH TIME ZONE,
    applied_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE distribution_read.orders (
    id                 UUID          NOT NULL PRIMARY KEY,
    customer_id        UUID,
    warehouse_id       UUID,
    status             VARCHAR(16),
    currency           CHAR(3),
    total              NUMERIC(12,2),
    placed_at          TIMESTAMP WITH TIME ZONE,
    updated_at         TIMESTAMP WITH TIME ZONE,
    deleted            BOOLEAN       NOT NULL,
    source_lsn         BIGINT        NOT NULL,
    source_tx_id       BIGINT,
    source_commit_time TIMESTAMP WITH TIME ZONE,
    applied_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX orders_live_customer_idx ON distribution_read.orders (customer_id, id);

CREATE TABLE distribution_read.order_lines (
    id                 UUID          NOT NULL PRIMARY KEY,
    order_id           UUID,
    sku                VARCHAR(64),
    quantity           INTEGER,
    unit_price         NUMERIC(12,2),
    deleted            BOOLEAN       NOT NULL,
    source_lsn         BIGINT        NOT NULL,
    source_tx_id       BIGINT,
    source_commit_time TIMESTAMP WITH TIME ZONE,
    applied_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX order_lines_live_order_idx ON distribution_read.order_lines (order_id, id);

CREATE TABLE distribution_read.shipments (
    id                 UUID          NOT NULL PRIMARY KEY,
    order_id           UUID,
    carrier            VARCHAR(64),
    status             VARCHAR(16),
    shipped_at         TIMESTAMP WITH TIME ZONE,
    deleted            BOOLEAN       NOT NULL,
    source_lsn         BIGINT        NOT NULL,
    source_tx_id       BIGINT,
    source_commit_time TIMESTAMP WITH TIME ZONE,
    applied_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX shipments_live_order_idx ON distribution_read.shipments (order_id);
