CREATE TABLE flags (name text PRIMARY KEY, on_by_default boolean);
INSERT INTO flags VALUES ('beta', false);
UPDATE flags SET on_by_default = true;
