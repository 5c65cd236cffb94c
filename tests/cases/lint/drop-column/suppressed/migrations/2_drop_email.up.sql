-- cairn:allow drop-column -- email moved to contacts in release 41; nothing reads it any more
ALTER TABLE users DROP COLUMN email;
