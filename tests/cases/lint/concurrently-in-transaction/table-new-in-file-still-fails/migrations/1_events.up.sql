CREATE TABLE events (id bigint PRIMARY KEY, kind text);
-- A new table does not help: PostgreSQL refuses CONCURRENTLY in any transaction block.
CREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);
