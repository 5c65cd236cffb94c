-- cairn:lock-timeout 5s
ALTER TABLE users ADD COLUMN nickname text;
