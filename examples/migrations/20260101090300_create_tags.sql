-- The single-file form: both directions in one file, as dbmate writes them.

-- migrate:up
-- cairn:lock-timeout 5s
CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE post_tags (
    post_id INTEGER NOT NULL REFERENCES posts (id),
    tag_id  INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (post_id, tag_id)
);

-- migrate:down
DROP TABLE post_tags;
DROP TABLE tags;
