CREATE TABLE profiles (
    id bigint PRIMARY KEY,
    handle varchar(50) NOT NULL,
    score int,
    bio varchar(200),
    balance numeric(10,2)
);
