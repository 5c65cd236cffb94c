CREATE TABLE people (
    id bigint PRIMARY KEY,
    name text CHECK (char_length(name) <= 100),
    nickname varchar,
    kind "char"
);
