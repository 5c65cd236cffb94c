CREATE TABLE import_scratch (id bigint, payload text);
INSERT INTO import_scratch VALUES (1, 'seed');
DROP TABLE import_scratch;
