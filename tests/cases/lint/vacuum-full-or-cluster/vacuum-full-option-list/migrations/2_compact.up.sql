-- cairn:no-transaction
VACUUM (VERBOSE, FULL, ANALYZE) users;
