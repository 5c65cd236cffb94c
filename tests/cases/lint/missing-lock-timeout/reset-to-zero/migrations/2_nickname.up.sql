SET LOCAL lock_timeout = '5s';
ALTER TABLE users ADD COLUMN nickname text;
SET LOCAL lock_timeout = 0;
ALTER TABLE users ADD COLUMN motto text;
