-- The audit log: every change event of every data product, appended to that product's hash
-- chain and never rewritten. One table holds every product's log, keyed by (product, seq);
-- seq counts each product's entries from 0 without gaps, in the order they were appended
-- (source order).
--
-- An entry is stored as the exact bytes its hash covers: its RFC 8785 canonical JSON
-- (format meshgate.audit-entry, version 1). Each row keeps the previous entry's chain hash
-- and its own,
--   hash = SHA-256(previous_hash || entry),
-- and the leaves of the product's RFC 9162 Merkle tree are those chain hashes. Verifying a
-- row is hashing it. Everything an entry says is read from the entry itself (view audit.log
-- below), never from a column that could be changed apart from what was hashed.
CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE audit.log_entries (
    product        VARCHAR(63)  NOT NULL,
    seq            BIGINT       NOT NULL,
    entry          BYTEA        NOT NULL,
    previous_hash  BYTEA        NOT NULL,
    hash           BYTEA        NOT NULL,
    -- The entry's source position (LSN, entity and the canonical JSON of the row's key),
    -- indexed so that the appender finds redeliveries. Not trusted for content: the appender
    -- decides from the entries it finds through it.
    source_lsn     BIGINT       NOT NULL,
    entity         VARCHAR(63)  NOT NULL,
    source_key     BYTEA        NOT NULL,
    CONSTRAINT log_entries_pk PRIMARY KEY (product, seq),
    CONSTRAINT log_entries_seq_check CHECK (seq >= 0)
);

-- Signed tree heads: the root of a product's Merkle tree at a size, signed with the log's
-- Ed25519 key over the canonical payload described in SignedTreeHead (format
-- meshgate.audit.tree-head, version 1).
CREATE TABLE audit.tree_heads (
    product     VARCHAR(63)  NOT NULL,
    tree_size   BIGINT       NOT NULL,
    root_hash   BYTEA        NOT NULL,
    signed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    signature   BYTEA        NOT NULL,
    CONSTRAINT tree_heads_pk PRIMARY KEY (product, tree_size),
    CONSTRAINT tree_heads_size_check CHECK (tree_size >= 0)
);

/* [jooq ignore start] */
-- Exactly one entry per source position: a redelivered event cannot be logged twice. Rows read
-- by a snapshot share one LSN, and so may the rows of one multi-row insert, so the position of
-- a change is its LSN together with the row it changed. (Outside jOOQ's view: the H2 database
-- it generates code with cannot index BYTEA.)
ALTER TABLE audit.log_entries ADD CONSTRAINT log_entries_source_position_unique
    UNIQUE (product, source_lsn, entity, source_key);
ALTER TABLE audit.log_entries ADD CONSTRAINT log_entries_hash_length_check
    CHECK (octet_length(hash) = 32 AND octet_length(previous_hash) = 32);

-- Every entry as columns, all decoded from the hashed entry itself: what is queried here is
-- exactly what the chain and the signed heads cover.
CREATE VIEW audit.log AS
SELECT e.product,
       e.seq,
       (d.doc ->> 'lsn')::bigint                           AS source_lsn,
       (d.doc ->> 'txId')::bigint                          AS source_tx_id,
       d.doc ->> 'entity'                                  AS entity,
       d.doc -> 'key'                                      AS entity_key,
       (d.doc ->> 'op')::char(1)                           AS op,
       nullif(d.doc -> 'before', 'null'::jsonb)            AS row_before,
       nullif(d.doc -> 'after', 'null'::jsonb)             AS row_after,
       (d.doc ->> 'commitTime')::timestamp with time zone  AS commit_time,
       e.previous_hash,
       e.hash
FROM audit.log_entries e
CROSS JOIN LATERAL (SELECT convert_from(e.entry, 'UTF8')::jsonb AS doc) d;

-- The log is append-only for everyone, its owner included: the database itself refuses to
-- change or remove what was logged. Statement-level triggers refuse the statement even when it
-- would touch no row. (A superuser can still disable them; that is what verification is for.)
CREATE FUNCTION audit.refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit log table %.% is append-only: % refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Entries and tree heads are never changed or removed; record a correction as a new change.';
END;
$$;

CREATE TRIGGER log_entries_refuse_update_delete
    BEFORE UPDATE OR DELETE ON audit.log_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_rewrite();
CREATE TRIGGER log_entries_refuse_truncate
    BEFORE TRUNCATE ON audit.log_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_rewrite();
CREATE TRIGGER tree_heads_refuse_update_delete
    BEFORE UPDATE OR DELETE ON audit.tree_heads
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_rewrite();
CREATE TRIGGER tree_heads_refuse_truncate
    BEFORE TRUNCATE ON audit.tree_heads
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_rewrite();

COMMENT ON TABLE audit.log_entries IS 'Append-only, hash-chained audit log of every change of every data product.';
COMMENT ON COLUMN audit.log_entries.entry IS 'RFC 8785 canonical JSON of the entry (meshgate.audit-entry v1): the bytes its hash covers.';
COMMENT ON VIEW audit.log IS 'Every audit entry as columns, decoded from the hashed entry bytes.';
COMMENT ON TABLE audit.tree_heads IS 'Append-only Ed25519-signed Merkle tree heads of each product''s audit log.';
/* [jooq ignore stop] */
