-- cairn:lock-timeout 5s
-- cairn:allow syntax-error -- the parser is wrong
ALTER TABLE users ADD COLUMN nickname text;
