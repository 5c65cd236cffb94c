-- cairn:allow reindex-not-concurrent -- users is tiny, a short SHARE lock is fine
REINDEX (CONCURRENTLY false) TABLE users;
