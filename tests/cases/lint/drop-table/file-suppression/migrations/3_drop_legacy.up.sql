-- cairn:allow drop-table -- both unused since 3.2, backed up in OPS-812
-- cairn:lock-timeout 5s
DROP TABLE users;
DROP TABLE sessions;
