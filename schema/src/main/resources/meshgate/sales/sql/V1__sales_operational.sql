-- The sales data product's operational tables: the source of truth that
-- mutations write and Debezium captures from the write-ahead log.
CREATE SCHEMA IF NOT EXISTS sales;

CREATE TABLE sales.customers (
    id          UUID         NOT NULL PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    email       VARCHAR(320) NOT NULL,
    country     CHAR(2)      NOT NULL,
    segment     VARCHAR(32)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT customers_segment_check CHECK (segment IN ('CONSUMER', 'SMALL_BUSINESS', 'ENTERPRISE', 'PUBLIC_SECTOR'))
);

CREATE INDEX customers_country_idx ON sales.customers (country);

/* [jooq ignore start] */
-- Full before-images on update and delete, so every change event carries the whole row.
ALTER TABLE sales.customers REPLICA IDENTITY FULL;
COMMENT ON TABLE sales.customers IS 'Customers of the enterprise, owned by the sales data product.';
/* [jooq ignore stop] */
