CREATE TABLE people (
    id bigint PRIMARY KEY,
    name varchar(100),
    country char(2),
    flag char
);
