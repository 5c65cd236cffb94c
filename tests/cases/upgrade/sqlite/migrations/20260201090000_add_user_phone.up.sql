-- v1.1.0: phone numbers
ALTER TABLE users ADD COLUMN phone TEXT;
