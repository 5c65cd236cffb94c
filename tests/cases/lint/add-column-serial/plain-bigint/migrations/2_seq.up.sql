ALTER TABLE users ADD COLUMN seq bigint;
