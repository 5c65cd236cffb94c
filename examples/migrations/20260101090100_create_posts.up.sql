-- cairn:lock-timeout 5s
CREATE TABLE posts (
    id        INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES users (id),
    title     TEXT NOT NULL,
    body      TEXT NOT NULL DEFAULT ''
);

CREATE INDEX posts_author_id_idx ON posts (author_id);
