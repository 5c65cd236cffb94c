-- The CHECK is still NOT VALID: it proves nothing about existing rows.
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
