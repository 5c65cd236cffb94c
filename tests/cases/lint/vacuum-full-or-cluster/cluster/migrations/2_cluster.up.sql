-- cairn:lock-timeout 5s
CLUSTER users USING users_email_idx;
