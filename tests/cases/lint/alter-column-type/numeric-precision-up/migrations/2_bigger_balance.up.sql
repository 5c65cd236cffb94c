-- cairn:lock-timeout 5s
ALTER TABLE profiles ALTER COLUMN balance TYPE numeric(14,2);
