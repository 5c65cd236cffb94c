PRAGMA legacy_alter_table = ON;
ALTER TABLE users RENAME TO users_old;
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
INSERT INTO users (id, email) SELECT id, email FROM users_old;
DROP TABLE users_old;
PRAGMA legacy_alter_table = OFF;
