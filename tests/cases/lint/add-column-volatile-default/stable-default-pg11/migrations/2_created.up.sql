ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT statement_timestamp();
ALTER TABLE users ADD COLUMN xid bigint DEFAULT txid_current();
ALTER TABLE users ADD COLUMN score integer DEFAULT 0;
