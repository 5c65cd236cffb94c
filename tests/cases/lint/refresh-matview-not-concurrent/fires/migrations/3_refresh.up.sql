-- cairn:lock-timeout 5s
REFRESH MATERIALIZED VIEW user_counts;
