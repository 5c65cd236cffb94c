ALTER TABLE users VALIDATE CONSTRAINT users_email_has_at;
