ALTER TABLE users ADD COLUMN legacy_code TEXT;
