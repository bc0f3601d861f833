-- Ranges of a product's change topics that the audit log never saw: retention or a deletion
-- removed them from Kafka before the audit consumer read them, so the changes there are missing
-- from the product's log for good. Recorded when found (and logged at ERROR), never in silence;
-- one row per range, so finding the same range again after a restart adds nothing.
CREATE TABLE audit.source_gaps (
    product      VARCHAR(63)  NOT NULL,
    topic        VARCHAR(249) NOT NULL,
    partition_no INT          NOT NULL,
    from_offset  BIGINT       NOT NULL,
    to_offset    BIGINT       NOT NULL,
    detected_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT source_gaps_pk PRIMARY KEY (topic, partition_no, from_offset),
    CONSTRAINT source_gaps_range_check CHECK (from_offset >= 0 AND to_offset >= from_offset)
);

/* [jooq ignore start] */
CREATE INDEX source_gaps_product_idx ON audit.source_gaps (product, detected_at);

-- As append-only as the log itself: a gap once found stays on record.
CREATE TRIGGER source_gaps_refuse_update_delete
    BEFORE UPDATE OR DELETE ON audit.source_gaps
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_rewrite();
CREATE TRIGGER source_gaps_refuse_truncate
    BEFORE TRUNCATE ON audit.source_gaps
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_rewrite();

COMMENT ON TABLE audit.source_gaps IS 'Append-only: offset ranges of change topics deleted before the audit log read them.';
/* [jooq ignore stop] */
