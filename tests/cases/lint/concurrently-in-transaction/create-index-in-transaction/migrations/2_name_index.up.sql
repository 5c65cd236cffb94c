-- cairn:lock-timeout 5s
CREATE INDEX CONCURRENTLY users_name_idx ON users (name);
