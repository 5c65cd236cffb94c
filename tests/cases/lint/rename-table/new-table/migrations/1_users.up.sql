CREATE TABLE people (id bigint PRIMARY KEY);
ALTER TABLE people RENAME TO users;
