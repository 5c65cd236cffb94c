-- cairn:no-transaction
CREATE TABLE audit (id bigint);
ALTER TABLE users ADD COLUMN note text, DROP COLUMN IF EXISTS legacy;
DROP INDEX CONCURRENTLY users_old_idx;
CREATE EXTENSION pg_trgm;
