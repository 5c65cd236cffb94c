CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    name varchar(50)
);
CREATE INDEX users_email_idx ON users (email);
