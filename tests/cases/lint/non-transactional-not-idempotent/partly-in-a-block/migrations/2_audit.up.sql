-- cairn:no-transaction
BEGIN;
CREATE TABLE audit (id bigint);
COMMIT;
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);
