ALTER TABLE users ADD COLUMN domain text;
