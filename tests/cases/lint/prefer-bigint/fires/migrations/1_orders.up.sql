CREATE TABLE orders (
    id integer PRIMARY KEY,
    user_id int NOT NULL,
    quantity integer NOT NULL
);
ALTER TABLE orders ADD COLUMN shop_id smallint;
