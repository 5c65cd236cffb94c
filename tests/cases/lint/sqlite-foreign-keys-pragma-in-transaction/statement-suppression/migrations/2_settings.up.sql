CREATE TABLE audit (id INTEGER PRIMARY KEY, note TEXT);

-- cairn:allow sqlite-foreign-keys-pragma-in-transaction -- kept for symmetry with the down file
PRAGMA foreign_keys = OFF;
PRAGMA foreign_keys = OFF;
