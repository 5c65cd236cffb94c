CREATE TABLE events (
    id bigint PRIMARY KEY,
    happened_at timestamptz NOT NULL,
    logged_at timestamp with time zone,
    day date,
    at_time time
);
