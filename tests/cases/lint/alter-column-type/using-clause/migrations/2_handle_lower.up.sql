-- cairn:lock-timeout 5s
-- Even to a wider type, USING recomputes every row: a rewrite.
ALTER TABLE profiles ALTER COLUMN handle TYPE varchar(100) USING lower(handle);
