-- cairn:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);
UPDATE users SET email = lower(email) WHERE id BETWEEN 1 AND 10000;
