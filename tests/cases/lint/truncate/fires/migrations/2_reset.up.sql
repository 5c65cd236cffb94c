CREATE TABLE staging (id bigint);
TRUNCATE staging, users CASCADE;
