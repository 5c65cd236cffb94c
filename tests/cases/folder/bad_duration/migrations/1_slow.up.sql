-- cairn:no-transaction
-- cairn:timeout 5x
CREATE TABLE t (id INTEGER);
