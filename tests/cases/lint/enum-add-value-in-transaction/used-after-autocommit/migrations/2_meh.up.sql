-- cairn:no-transaction
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh';
UPDATE people SET mood = 'meh' WHERE id = 1;
