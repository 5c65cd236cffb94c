-- cairn:lock-timeout 5s
ALTER TABLE users ADD COLUMN age int CHECK (age >= 0);
