CREATE TABLE users_v2 (id bigint PRIMARY KEY, email text NOT NULL);
