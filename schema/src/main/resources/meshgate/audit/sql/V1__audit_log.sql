-- The audit log: every change event of every data product, appended to that product's hash
-- chain and never rewritten. One table holds every product's log, keyed by (product, seq);
-- seq counts each product's entries from 0 without gaps, in the order they were appended
-- (source order).
--
-- An entry is stored as the exact bytes its hash covers: its RFC 8785 canonical JSON
-- (format meshgate.audit-entry, version 1). Each row keeps the previous entry's chain hash
-- and its own,
--   hash = SHA-256(previous_hash || entry),
-- and the leaves of the product's RFC 9162 Merkle tree are those chain hashes. Every other
-- column is derived from the entry by the database itself (generated columns), so what is
-- queried is always what was hashed, and verification only needs to hash the stored bytes.
CREATE SCHEMA IF NOT EXISTS audit;

/* [jooq ignore start] */
-- The entry as JSONB, for the derived columns. IMMUTABLE is true of the cast of valid UTF-8.
CREATE FUNCTION audit.entry_json(entry BYTEA) RETURNS JSONB
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN convert_from(entry, 'UTF8')::jsonb;

-- A canonical entry's commitTime ('2026-11-27T01:02:03.456789Z') as a timestamp. IMMUTABLE holds
-- for this ISO-8601 form with its explicit UTC offset, which no session setting can reinterpret.
CREATE FUNCTION audit.entry_commit_time(entry BYTEA) RETURNS TIMESTAMP WITH TIME ZONE
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (audit.entry_json(entry) ->> 'commitTime')::timestamptz;
/* [jooq ignore stop] */

CREATE TABLE audit.log_entries (
    product        VARCHAR(63)  NOT NULL,
    seq            BIGINT       NOT NULL,
    entry          BYTEA        NOT NULL,
    previous_hash  BYTEA        NOT NULL,
    hash           BYTEA        NOT NULL,
    entity         VARCHAR(63)  NOT NULL /* [jooq ignore start] */ GENERATED ALWAYS AS (audit.entry_json(entry) ->> 'entity') STORED /* [jooq ignore stop] */,
    entity_key     JSONB        NOT NULL /* [jooq ignore start] */ GENERATED ALWAYS AS (audit.entry_json(entry) -> 'key') STORED /* [jooq ignore stop] */,
    op             CHAR(1)      NOT NULL /* [jooq ignore start] */ GENERATED ALWAYS AS (audit.entry_json(entry) ->> 'op') STORED /* [jooq ignore stop] */,
    row_before     JSONB        /* [jooq ignore start] */ GENERATED ALWAYS AS (nullif(audit.entry_json(entry) -> 'before', 'null'::jsonb)) STORED /* [jooq ignore stop] */,
    row_after      JSONB        /* [jooq ignore start] */ GENERATED ALWAYS AS (nullif(audit.entry_json(entry) -> 'after', 'null'::jsonb)) STORED /* [jooq ignore stop] */,
    source_lsn     BIGINT       NOT NULL /* [jooq ignore start] */ GENERATED ALWAYS AS ((audit.entry_json(entry) ->> 'lsn')::bigint) STORED /* [jooq ignore stop] */,
    source_tx_id   BIGINT       /* [jooq ignore start] */ GENERATED ALWAYS AS ((audit.entry_json(entry) ->> 'txId')::bigint) STORED /* [jooq ignore stop] */,
    commit_time    TIMESTAMP WITH TIME ZONE NOT NULL /* [jooq ignore start] */ GENERATED ALWAYS AS (audit.entry_commit_time(entry)) STORED /* [jooq ignore stop] */,
    CONSTRAINT log_entries_pk PRIMARY KEY (product, seq),
    -- Exactly one entry per source position: a redelivered event cannot be logged twice. Rows
    -- read by a snapshot share one LSN, and so may the rows of one multi-row insert, so the
    -- position of a change is its LSN together with the row it changed.
    CONSTRAINT log_entries_source_position_unique UNIQUE (product, source_lsn, entity, entity_key),
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
ALTER TABLE audit.log_entries ADD CONSTRAINT log_entries_hash_length_check
    CHECK (octet_length(hash) = 32 AND octet_length(previous_hash) = 32);
-- The entry names its own product and position; a row cannot claim another.
ALTER TABLE audit.log_entries ADD CONSTRAINT log_entries_entry_position_check
    CHECK (audit.entry_json(entry) ->> 'product' = product AND (audit.entry_json(entry) ->> 'seq')::bigint = seq);

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
COMMENT ON TABLE audit.tree_heads IS 'Append-only Ed25519-signed Merkle tree heads of each product''s audit log.';
/* [jooq ignore stop] */
