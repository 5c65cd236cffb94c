CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric);
ALTER TABLE orders ADD COLUMN seq serial;
