-- cairn:lock-timeout 5s
ALTER TABLE users
    ALTER COLUMN email SET NOT NULL;
