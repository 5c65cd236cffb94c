-- cairn:lock-timeout 5s
ALTER TABLE users ADD COLUMN motto text NOT NUL;
-- Not linted: the statement above does not parse.
DROP TABLE users;
