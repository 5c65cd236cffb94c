UPDATE users SET email = lower(email);
DELETE FROM users;
