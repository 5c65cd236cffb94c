ALTER TABLE users ADD COLUMN domain text;
UPDATE users SET domain = split_part(email, '@', 2) WHERE id < 1000;
