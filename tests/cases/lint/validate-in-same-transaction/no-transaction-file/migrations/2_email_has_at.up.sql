-- cairn:no-transaction
-- cairn:lock-timeout 5s
-- Each statement commits on its own: the ADD's lock is gone before VALIDATE starts.
ALTER TABLE users
    ADD CONSTRAINT users_email_has_at CHECK (position('@' in email) > 1) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_has_at;
