-- cairn:lock-timeout 5s
-- cairn:allow alter-column-type -- users is small; the rewrite takes milliseconds
ALTER TABLE users ALTER COLUMN name TYPE varchar(200);
