-- cairn:lock-timeout 5s
-- The old type (int, from 1_profiles) is not binary-coercible to text: a rewrite.
ALTER TABLE profiles ALTER COLUMN score TYPE text;
