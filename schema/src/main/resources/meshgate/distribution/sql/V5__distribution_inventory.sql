-- Inventory: how many units of each SKU a warehouse has on hand. The operational table
-- is written by the adjustInventory mutation; the read model is fed only from
-- mesh.distribution.inventory.changes, like the others.
CREATE TABLE distribution.inventory (
    id                UUID         NOT NULL PRIMARY KEY,
    warehouse_id      UUID         NOT NULL REFERENCES distribution.warehouses (id),
    sku               VARCHAR(64)  NOT NULL,
    quantity_on_hand  INTEGER      NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT inventory_warehouse_sku_key UNIQUE (warehouse_id, sku),
    CONSTRAINT inventory_quantity_check CHECK (quantity_on_hand >= 0)
);

CREATE TABLE distribution_read.inventory (
    id                 UUID         NOT NULL PRIMARY KEY,
    warehouse_id       UUID,
    sku                VARCHAR(64),
    quantity_on_hand   INTEGER,
    updated_at         TIMESTAMP WITH TIME ZONE,
    deleted            BOOLEAN      NOT NULL,
    source_lsn         BIGINT       NOT NULL,
    source_tx_id       BIGINT,
    source_commit_time TIMESTAMP WITH TIME ZONE,
    applied_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX inventory_live_warehouse_idx ON distribution_read.inventory (warehouse_id, sku);

/* [jooq ignore start] */
ALTER TABLE distribution.inventory REPLICA IDENTITY FULL;
COMMENT ON TABLE distribution.inventory IS 'Units of each SKU on hand per warehouse, owned by the distribution data product.';
/* [jooq ignore stop] */
