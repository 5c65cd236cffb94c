CREATE TABLE lines (order_no int, line int, sku bigint, PRIMARY KEY (order_no, line));
