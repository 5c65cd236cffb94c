-- cairn:lock-timeout 5s
SELECT 1;
-- cairn:allow drop-table -- unused since 3.2, backed up in OPS-812
DROP TABLE users;
DROP TABLE sessions;
