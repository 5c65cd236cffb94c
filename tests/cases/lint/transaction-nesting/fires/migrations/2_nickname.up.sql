-- cairn:lock-timeout 5s
BEGIN;
ALTER TABLE users ADD COLUMN nickname text;
COMMIT;
