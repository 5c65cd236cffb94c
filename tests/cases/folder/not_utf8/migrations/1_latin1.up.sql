-- Latin-1, not UTF-8:
INSERT INTO cities (name) VALUES ('Zürich');
