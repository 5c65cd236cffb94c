-- The new table has no traffic, but users does: the REFERENCES needs SHARE ROW EXCLUSIVE on it.
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint REFERENCES users (id)
);
