-- migrate:up
CREATE TABLE posts (id INTEGER);
