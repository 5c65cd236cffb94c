-- cairn:lock-timeout 5s
ALTER TABLE users ADD COLUMN nickname text;
ALTER TABLE users ADD COLUMN motto txet NOT NUL;
DROP TABLE users;
