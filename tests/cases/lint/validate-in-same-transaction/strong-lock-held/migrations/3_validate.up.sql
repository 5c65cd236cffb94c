-- cairn:lock-timeout 5s
ALTER TABLE users ADD COLUMN nickname text;
ALTER TABLE users VALIDATE CONSTRAINT users_email_has_at;
