CREATE TABLE orders_old (
  id INTEGER PRIMARY KEY,
  user_id INTEGER,
  total REAL NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'new'
);
INSERT INTO orders_old (id, user_id, total, status) SELECT id, user_id, total_cents / 100.0, status FROM orders;
DROP TABLE orders;
ALTER TABLE orders_old RENAME TO orders;
CREATE INDEX orders_user_id_idx ON orders (user_id);
