CREATE TABLE orders (total numeric);
ALTER TABLE orders ADD COLUMN id bigserial;
ALTER TABLE orders ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;
