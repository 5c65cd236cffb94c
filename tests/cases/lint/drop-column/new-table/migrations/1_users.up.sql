CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy text);
ALTER TABLE users DROP COLUMN legacy;
