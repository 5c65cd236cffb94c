CREATE TABLE audit (id bigint NOT NULL, note text);
