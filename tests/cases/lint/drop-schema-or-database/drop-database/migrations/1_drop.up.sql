-- cairn:no-transaction
DROP DATABASE scratch;
