-- cairn:allow drop-table -- audit events now go to the event store
DROP TABLE audit_log;
