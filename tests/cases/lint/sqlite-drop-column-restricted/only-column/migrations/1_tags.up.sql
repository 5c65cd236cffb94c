CREATE TABLE tags (label TEXT);
