CREATE TABLE audit (id bigint);
CREATE INDEX audit_id_idx ON audit (id);
DROP TABLE audit;
