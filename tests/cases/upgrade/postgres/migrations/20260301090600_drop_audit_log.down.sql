CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint,
  action text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
