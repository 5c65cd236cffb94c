-- cairn:no-transaction
VACUUM (ANALYZE) users;
VACUUM (FULL false) users;
