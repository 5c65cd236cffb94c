-- cairn:irreversible -- the first migration: rolling back means dropping the database
CREATE TABLE users (id bigint PRIMARY KEY, email text);
