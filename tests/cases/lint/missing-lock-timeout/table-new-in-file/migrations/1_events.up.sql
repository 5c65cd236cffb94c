CREATE TABLE events (id bigint PRIMARY KEY, kind text);
ALTER TABLE events ADD COLUMN at timestamptz;
