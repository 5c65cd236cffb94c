CREATE TABLE events (id bigint PRIMARY KEY);
ALTER TABLE events ADD COLUMN token uuid DEFAULT gen_random_uuid();
