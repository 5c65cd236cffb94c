CREATE TYPE mood AS ENUM ('happy', 'sad');
ALTER TYPE mood ADD VALUE 'meh';
CREATE TABLE people (id bigint PRIMARY KEY, mood mood DEFAULT 'meh');
