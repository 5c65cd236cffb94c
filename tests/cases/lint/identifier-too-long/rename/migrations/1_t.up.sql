CREATE TABLE t (id bigint PRIMARY KEY);
ALTER TABLE t RENAME TO customer_subscription_billing_cycle_adjustment_history_entries_archive;
