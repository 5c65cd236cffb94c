-- cairn:allow index-not-concurrent -- users holds a few hundred rows
CREATE INDEX users_name_idx ON users (name);
