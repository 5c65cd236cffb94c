CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE events (user_id bigint, at timestamptz NOT NULL) PARTITION BY RANGE (at);
