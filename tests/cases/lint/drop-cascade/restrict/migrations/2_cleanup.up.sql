CREATE VIEW active_users AS SELECT id FROM users;
DROP VIEW active_users;
DROP VIEW IF EXISTS old_users RESTRICT;
ALTER TABLE users DROP COLUMN email;
