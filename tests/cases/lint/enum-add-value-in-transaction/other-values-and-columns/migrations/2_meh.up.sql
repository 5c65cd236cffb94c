ALTER TYPE mood ADD VALUE 'meh';
INSERT INTO people (id, mood) VALUES (1, 'sad');
UPDATE people SET mood = 'happy' WHERE mood = 'sad';
CREATE TABLE notes (id bigint PRIMARY KEY, body text DEFAULT 'meh');
INSERT INTO notes (id, body) VALUES (1, 'meh');
