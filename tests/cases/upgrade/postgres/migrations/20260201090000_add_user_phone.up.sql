-- v1.1.0: phone numbers
-- cairn:lock-timeout 5s
ALTER TABLE users ADD COLUMN phone text;
