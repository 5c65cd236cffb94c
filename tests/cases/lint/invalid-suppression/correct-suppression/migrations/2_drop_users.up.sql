-- cairn:lock-timeout 5s
SELECT 1;

-- cairn:allow drop-table -- replaced by accounts in 4.0, data archived in OPS-812
DROP TABLE users;
