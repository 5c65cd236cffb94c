-- cairn:no-transaction
SET lock_timeout = '3s';
DROP INDEX CONCURRENTLY users_email_idx;
ALTER TABLE users DROP COLUMN name;
