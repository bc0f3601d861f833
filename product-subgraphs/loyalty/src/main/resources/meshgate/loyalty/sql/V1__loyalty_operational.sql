-- The loyalty data product's operational table: the source of truth that
-- mutations write and Debezium captures from the write-ahead log.
CREATE SCHEMA IF NOT EXISTS loyalty;

CREATE TABLE loyalty.members (
    id           UUID        NOT NULL PRIMARY KEY,
    customer_id  UUID        NOT NULL,
    tier         VARCHAR(16) NOT NULL,
    enrolled_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT members_customer_unique UNIQUE (customer_id),
    CONSTRAINT members_tier_check CHECK (tier IN ('BRONZE', 'SILVER', 'GOLD'))
);

/* [jooq ignore start] */
-- Full before-images on update and delete, so every change event carries the whole row.
ALTER TABLE loyalty.members REPLICA IDENTITY FULL;
COMMENT ON TABLE loyalty.members IS 'Memberships of the loyalty programme, owned by the loyalty data product.';
/* [jooq ignore stop] */
