-- VALIDATE takes SHARE UPDATE EXCLUSIVE only: holding it through both scans blocks no traffic.
ALTER TABLE users VALIDATE CONSTRAINT users_email_has_at;
ALTER TABLE users VALIDATE CONSTRAINT users_name_not_blank;
