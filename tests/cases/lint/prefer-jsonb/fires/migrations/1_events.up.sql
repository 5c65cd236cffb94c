CREATE TABLE events (id bigint PRIMARY KEY, payload json NOT NULL);
ALTER TABLE events ADD COLUMN extras json[];
