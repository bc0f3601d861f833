-- The distribution data product's operational tables: the source of truth that
-- mutations write and Debezium captures from the write-ahead log. Customers are
-- owned by sales; customer_id is a reference by id across products, not a
-- foreign key.
CREATE SCHEMA IF NOT EXISTS distribution;

CREATE TABLE distribution.warehouses (
    id       UUID         NOT NULL PRIMARY KEY,
    code     VARCHAR(16)  NOT NULL,
    name     VARCHAR(200) NOT NULL,
    country  CHAR(2)      NOT NULL,
    CONSTRAINT warehouses_code_key UNIQUE (code),
    CONSTRAINT warehouses_country_check CHECK (country = UPPER(country))
);

CREATE TABLE distribution.orders (
    id            UUID          NOT NULL PRIMARY KEY,
    customer_id   UUID          NOT NULL,
    warehouse_id  UUID          NOT NULL REFERENCES distribution.warehouses (id),
    status        VARCHAR(16)   NOT NULL,
    currency      CHAR(3)       NOT NULL,
    total         NUMERIC(12,2) NOT NULL,
    placed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT orders_status_check CHECK (status IN ('PLACED', 'SHIPPED', 'CANCELLED')),
    CONSTRAINT orders_total_check CHECK (total >= 0)
);

CREATE INDEX orders_customer_idx ON distribution.orders (customer_id);

CREATE TABLE distribution.order_lines (
    id          UUID          NOT NULL PRIMARY KEY,
    order_id    UUID          NOT NULL REFERENCES distribution.orders (id),
    sku         VARCHAR(64)   NOT NULL,
    quantity    INTEGER       NOT NULL,
    unit_price  NUMERIC(12,2) NOT NULL,
    CONSTRAINT order_lines_quantity_check CHECK (quantity > 0),
    CONSTRAINT order_lines_unit_price_check CHECK (unit_price >= 0)
);

CREATE INDEX order_lines_order_idx ON distribution.order_lines (order_id);

CREATE TABLE distribution.shipments (
    id          UUID          NOT NULL PRIMARY KEY,
    order_id    UUID          NOT NULL REFERENCES distribution.orders (id),
    carrier     VARCHAR(64)   NOT NULL,
    status      VARCHAR(16)   NOT NULL,
    shipped_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT shipments_order_key UNIQUE (order_id),
    CONSTRAINT shipments_status_check CHECK (status IN ('IN_TRANSIT', 'DELIVERED'))
);

/* [jooq ignore start] */
-- Full before-images on update and delete, so every change event carries the whole row.
ALTER TABLE distribution.warehouses REPLICA IDENTITY FULL;
ALTER TABLE distribution.orders REPLICA IDENTITY FULL;
ALTER TABLE distribution.order_lines REPLICA IDENTITY FULL;
ALTER TABLE distribution.shipments REPLICA IDENTITY FULL;
COMMENT ON TABLE distribution.warehouses IS 'Warehouses orders ship from, owned by the distribution data product.';
COMMENT ON TABLE distribution.orders IS 'Orders of sales customers, owned by the distribution data product.';
COMMENT ON TABLE distribution.order_lines IS 'The lines (SKU, quantity, unit price) of each order.';
COMMENT ON TABLE distribution.shipments IS 'At most one shipment per order.';
/* [jooq ignore stop] */
