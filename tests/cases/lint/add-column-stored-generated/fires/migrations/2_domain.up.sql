ALTER TABLE users
    ADD COLUMN domain text GENERATED ALWAYS AS (split_part(email, '@', 2)) STORED;
