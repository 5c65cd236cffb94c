-- cairn:lock-timeout 5s
ALTER TABLE measurements DETACH PARTITION measurements_2024;
