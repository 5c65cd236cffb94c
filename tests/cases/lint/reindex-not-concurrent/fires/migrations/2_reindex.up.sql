-- cairn:no-transaction
REINDEX TABLE users;
