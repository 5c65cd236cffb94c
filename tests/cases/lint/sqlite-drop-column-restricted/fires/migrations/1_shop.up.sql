CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT UNIQUE);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER,
    coupon_id INTEGER REFERENCES coupons (id),
    total INTEGER CHECK (total >= 0),
    discount INTEGER CHECK (discount <= total),
    status TEXT,
    note TEXT,
    placed_at TEXT,
    archived INTEGER,
    sku TEXT,
    sku_upper TEXT GENERATED ALWAYS AS (upper(sku)) STORED,
    region TEXT,
    country TEXT,
    FOREIGN KEY (customer_id) REFERENCES customers (id),
    CONSTRAINT orders_region UNIQUE (region, country)
);
CREATE INDEX orders_status ON orders (status);
CREATE INDEX orders_recent ON orders (lower(note)) WHERE archived = 0;
