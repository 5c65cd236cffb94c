-- cairn:lock-timeout 5s
CREATE INDEX users_name_idx ON users (name);
