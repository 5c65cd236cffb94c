ALTER TABLE users ADD COLUMN name text NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN active boolean DEFAULT true NOT NULL;
ALTER TABLE users ADD COLUMN nickname text;
