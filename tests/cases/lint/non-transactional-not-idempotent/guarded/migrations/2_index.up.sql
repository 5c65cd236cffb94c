-- cairn:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);
DROP INDEX CONCURRENTLY IF EXISTS users_old_idx;
CREATE TABLE IF NOT EXISTS audit (id bigint);
ALTER TABLE users ADD COLUMN IF NOT EXISTS note text;
ALTER TYPE status ADD VALUE IF NOT EXISTS 'archived';
CREATE OR REPLACE VIEW user_emails AS SELECT email FROM users;
