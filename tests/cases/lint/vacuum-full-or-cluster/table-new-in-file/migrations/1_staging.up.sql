CREATE TABLE staging (id bigint PRIMARY KEY, payload jsonb);
CREATE INDEX staging_payload_idx ON staging USING gin (payload);
CLUSTER staging USING staging_pkey;
