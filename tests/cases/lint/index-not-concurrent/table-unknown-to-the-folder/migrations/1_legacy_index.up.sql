-- cairn has never seen "legacy_orders" created: it presumes the table exists and is busy.
CREATE UNIQUE INDEX legacy_orders_ref_idx ON legacy_orders (ref);
