CREATE TABLE events (
    id bigint PRIMARY KEY,
    happened_at timestamp NOT NULL,
    logged_at timestamp(3) without time zone
);
ALTER TABLE events ALTER COLUMN happened_at TYPE timestamp(6);
