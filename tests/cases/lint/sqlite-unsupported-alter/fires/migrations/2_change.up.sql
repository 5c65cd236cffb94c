ALTER TABLE users ALTER COLUMN email TYPE varchar(320);
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users
    ADD CONSTRAINT users_name_check CHECK (name <> '');
ALTER TABLE users ALTER COLUMN name SET DEFAULT 'anonymous';
ALTER TABLE users DROP CONSTRAINT users_name_check;
