-- cairn:lock-timeout 5s
SELECT 1;

-- cairn:allow drop-table
DROP TABLE users;
