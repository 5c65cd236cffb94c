CREATE TEMPORARY TABLE fixes (id bigint, email text);
INSERT INTO fixes SELECT id, lower(email) FROM users WHERE email <> lower(email) AND id < 10000;
UPDATE users SET email = fixes.email FROM fixes WHERE users.id = fixes.id;
