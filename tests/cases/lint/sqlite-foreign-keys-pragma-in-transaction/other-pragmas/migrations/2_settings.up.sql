PRAGMA foreign_keys = ON;
PRAGMA foreign_keys;
PRAGMA foreign_key_check(posts);
PRAGMA user_version = 0;
-- PRAGMA foreign_keys = OFF;
