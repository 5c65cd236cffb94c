-- cairn:no-transaction
-- cairn:lock-timeout 5s
ALTER TABLE users
    ADD CONSTRAINT users_email_has_at CHECK (position('@' in email) > 1) NOT VALID,
    VALIDATE CONSTRAINT users_email_has_at;
