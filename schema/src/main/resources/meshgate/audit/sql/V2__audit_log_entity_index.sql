-- Finds an entity's entries (auditLog by entity and key, an entity's history) without reading a
-- product's whole log. The position columns only find candidates: the reader keeps an entry
-- only if its hashed bytes name the same entity and key.
/* [jooq ignore start] */
-- (Outside jOOQ's view: the H2 database it generates code with cannot index BYTEA.)
CREATE INDEX log_entries_entity_key_idx ON audit.log_entries (product, entity, source_key, seq);
CREATE INDEX log_entries_entity_idx ON audit.log_entries (product, entity, seq);
/* [jooq ignore stop] */
