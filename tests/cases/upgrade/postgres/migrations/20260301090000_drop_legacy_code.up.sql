-- v2.0.0: the legacy code column is gone
-- cairn:lock-timeout 5s
-- cairn:allow drop-column -- no release since v1.1.0 reads legacy_code
ALTER TABLE users DROP COLUMN legacy_code;
