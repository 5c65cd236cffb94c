CREATE SCHEMA IF NOT EXISTS reporting;
CREATE TABLE reporting.daily (day date PRIMARY KEY);
DROP TABLE reporting.daily;
