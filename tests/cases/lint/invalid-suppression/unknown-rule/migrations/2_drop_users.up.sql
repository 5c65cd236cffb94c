-- cairn:allow drop-tables -- replaced by accounts in 4.0
DROP TABLE users;
