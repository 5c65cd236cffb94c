-- cairn:lock-timeout 5s
ALTER TABLE users
    ADD COLUMN token uuid DEFAULT gen_random_uuid();
