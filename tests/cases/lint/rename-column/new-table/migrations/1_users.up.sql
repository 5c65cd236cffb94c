CREATE TABLE users (id bigint PRIMARY KEY, mail text);
ALTER TABLE users RENAME COLUMN mail TO email;
