-- Locks orders and users SHARE ROW EXCLUSIVE: one finding, at the first.
ALTER TABLE orders
    ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
