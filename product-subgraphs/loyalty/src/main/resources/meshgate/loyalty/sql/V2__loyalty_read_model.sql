-- The loyalty subgraph's read model: fed only from mesh.loyalty.member.changes,
-- each row guarded by the source position of the change that produced it and
-- a delete kept as a tombstone, as every product's mirrored read model.
CREATE SCHEMA IF NOT EXISTS loyalty_read;

CREATE TABLE loyalty_read.members (
    id                 UUID        NOT NULL PRIMARY KEY,
    customer_id        UUID,
    tier               VARCHAR(16),
    enrolled_at        TIMESTAMP WITH TIME ZONE,
    deleted            BOOLEAN     NOT NULL,
    source_lsn         BIGINT      NOT NULL,
    source_tx_id       BIGINT,
    source_commit_time TIMESTAMP WITH TIME ZONE,
    applied_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX members_live_customer_idx ON loyalty_read.members (customer_id);
