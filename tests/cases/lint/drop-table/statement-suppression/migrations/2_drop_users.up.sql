-- cairn:lock-timeout 5s
CREATE TABLE users_archive AS SELECT * FROM users;

-- cairn:allow drop-table -- replaced by accounts in 4.0, rows kept in users_archive
DROP TABLE users;
