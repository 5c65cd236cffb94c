-- cairn:lock-timeout 5s
ALTER TABLE events ADD CONSTRAINT events_user_fkey FOREIGN KEY (user_id) REFERENCES users (id);
