CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text,
    domain text GENERATED ALWAYS AS (split_part(email, '@', 2)) STORED
);
ALTER TABLE users ADD COLUMN lower_email text GENERATED ALWAYS AS (lower(email)) STORED;
