CREATE MATERIALIZED VIEW user_counts AS SELECT name, count(*) AS n FROM users GROUP BY name;
CREATE UNIQUE INDEX user_counts_name_idx ON user_counts (name);
