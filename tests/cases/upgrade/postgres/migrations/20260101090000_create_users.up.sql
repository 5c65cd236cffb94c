-- v1.0.0: accounts
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(100) NOT NULL UNIQUE,
  name text,
  legacy_code text,
  created_at timestamptz NOT NULL DEFAULT now()
);
