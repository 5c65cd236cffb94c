-- cairn:lock-timeout 5s
ALTER TABLE users
    ADD CONSTRAINT users_email_has_at CHECK (position('@' in email) > 1) NOT VALID,
    ADD CONSTRAINT users_name_not_blank CHECK (name <> '') NOT VALID;
