-- migrate:up transaction:false
CREATE TABLE posts (id INTEGER);
-- migrate:down
DROP TABLE posts;
