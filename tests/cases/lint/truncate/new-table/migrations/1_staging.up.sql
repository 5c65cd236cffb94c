CREATE TABLE staging (id bigint);
INSERT INTO staging VALUES (1);
TRUNCATE staging;
