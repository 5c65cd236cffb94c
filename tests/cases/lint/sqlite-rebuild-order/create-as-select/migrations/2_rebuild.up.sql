ALTER TABLE users RENAME TO users_old;
CREATE TABLE users AS SELECT id, email FROM users_old;
DROP TABLE users_old;
