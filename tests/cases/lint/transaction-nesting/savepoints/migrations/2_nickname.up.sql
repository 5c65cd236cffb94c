-- cairn:lock-timeout 5s
SAVEPOINT before_nickname;
ALTER TABLE users ADD COLUMN nickname text;
RELEASE SAVEPOINT before_nickname;
