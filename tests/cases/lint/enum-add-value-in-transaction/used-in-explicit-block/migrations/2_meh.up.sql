-- cairn:no-transaction
BEGIN;
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh';
UPDATE people SET mood = 'meh' WHERE id = 1;
COMMIT;
UPDATE people SET mood = 'meh' WHERE id = 2;
