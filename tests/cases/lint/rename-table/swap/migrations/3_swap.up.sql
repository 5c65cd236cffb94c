ALTER TABLE users RENAME TO users_old;
ALTER TABLE users_v2 RENAME TO users;
