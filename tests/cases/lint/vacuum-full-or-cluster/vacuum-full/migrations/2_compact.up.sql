-- cairn:no-transaction
VACUUM FULL users;
