-- PostgreSQL 11 does not use the CHECK: SET NOT NULL still scans the table.
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
