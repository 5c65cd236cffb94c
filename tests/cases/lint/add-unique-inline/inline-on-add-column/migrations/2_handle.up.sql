-- cairn:lock-timeout 5s
ALTER TABLE users ADD COLUMN handle text UNIQUE;
