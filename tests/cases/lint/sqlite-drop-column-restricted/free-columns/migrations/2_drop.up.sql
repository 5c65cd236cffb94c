ALTER TABLE orders DROP COLUMN placed_at;
ALTER TABLE orders DROP COLUMN coupon_id;
ALTER TABLE orders DROP COLUMN discount;
ALTER TABLE orders DROP COLUMN sku_upper;
DROP INDEX orders_status;
ALTER TABLE orders DROP COLUMN status;
