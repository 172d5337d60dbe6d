-- Custom migration: better-auth runs as central's app role; it creates, reads, updates and deletes
-- users, accounts, sessions (sign-out deletes the session) and one-time verifications.
GRANT SELECT, INSERT, UPDATE, DELETE ON users, accounts, sessions, verifications TO keel_central_app;
