CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
