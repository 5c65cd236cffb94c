-- cairn:no-transaction
ALTER TYPE mood ADD VALUE 'meh';
