CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), coupon_id bigint);
CREATE TABLE coupons (id bigint PRIMARY KEY);
ALTER TABLE orders ADD CONSTRAINT orders_coupon_fkey FOREIGN KEY (coupon_id) REFERENCES coupons (id);
