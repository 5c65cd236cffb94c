ALTER TYPE mood ADD VALUE 'meh';
INSERT INTO people (id, mood) VALUES (1, 'meh');
UPDATE people SET mood = 'meh' WHERE mood IN ('sad', 'meh');
ALTER TABLE people ALTER COLUMN mood SET DEFAULT 'meh';
SELECT 'meh'::mood;
