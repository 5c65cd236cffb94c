CREATE TABLE profiles (id bigint PRIMARY KEY, score int);
ALTER TABLE profiles ALTER COLUMN score TYPE text;
