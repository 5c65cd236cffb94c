UPDATE users SET email = lower(email) WHERE id BETWEEN 1 AND 10000;
DELETE FROM users WHERE email IS NULL AND id < 10000;
