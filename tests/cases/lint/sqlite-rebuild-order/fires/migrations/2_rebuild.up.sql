-- cairn:no-transaction
PRAGMA foreign_keys = OFF;
BEGIN;
ALTER TABLE users RENAME TO users_old;
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
INSERT INTO users (id, email) SELECT id, email FROM users_old;
DROP TABLE users_old;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
