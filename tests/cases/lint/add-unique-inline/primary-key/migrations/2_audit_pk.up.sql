-- cairn:lock-timeout 5s
ALTER TABLE audit
    ADD PRIMARY KEY (id);
