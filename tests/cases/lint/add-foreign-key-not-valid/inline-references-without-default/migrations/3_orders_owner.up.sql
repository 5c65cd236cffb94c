-- cairn:lock-timeout 5s
-- Every value of the new column is NULL: PostgreSQL marks the key valid without a scan.
ALTER TABLE orders ADD COLUMN owner_id bigint REFERENCES users (id);
