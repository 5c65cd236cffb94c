ALTER TABLE users ADD COLUMN score integer DEFAULT 0;
