-- cairn:no-transaction
BEGIN;
DROP INDEX CONCURRENTLY users_email_idx;
COMMIT;
