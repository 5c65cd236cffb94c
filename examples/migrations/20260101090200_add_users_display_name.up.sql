-- cairn:lock-timeout 5s
ALTER TABLE users ADD COLUMN display_name TEXT;
