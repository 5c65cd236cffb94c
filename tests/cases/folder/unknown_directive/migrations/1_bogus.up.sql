-- Header comment.
  -- cairn:bogus
CREATE TABLE t (id INTEGER);
