DROP TABLE users_v2;
