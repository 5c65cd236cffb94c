CREATE TABLE tags (id bigint NOT NULL, name text);
ALTER TABLE tags ADD PRIMARY KEY (id), ADD CONSTRAINT tags_name_key UNIQUE (name);
