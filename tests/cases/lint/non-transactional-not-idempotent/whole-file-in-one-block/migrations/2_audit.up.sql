-- cairn:no-transaction
BEGIN;
CREATE TABLE audit (id bigint);
CREATE INDEX audit_id_idx ON audit (id);
COMMIT;
