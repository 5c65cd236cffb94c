-- cairn:lock-timeout 5s
ALTER TABLE orders ADD COLUMN owner_id bigint DEFAULT 1 REFERENCES users (id);
