ALTER TABLE users ADD COLUMN created_at TEXT;
ALTER TABLE users RENAME COLUMN name TO full_name;
ALTER TABLE users DROP COLUMN created_at;
ALTER TABLE users RENAME TO accounts;
CREATE UNIQUE INDEX accounts_email ON accounts (email);
