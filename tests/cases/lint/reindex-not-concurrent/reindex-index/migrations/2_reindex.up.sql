-- cairn:no-transaction
REINDEX INDEX users_email_idx;
