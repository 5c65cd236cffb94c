-- cairn:lock-timeout 5s
ALTER TABLE profiles ALTER COLUMN bio TYPE text;
