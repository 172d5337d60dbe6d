-- Custom migration: better-auth runs as central's app role. It creates, reads and updates users and
-- their accounts (Keel deletes neither: no account deletion, one credential account per user), and
-- creates, reads, updates and deletes sessions (sign-out) and one-time verifications.
GRANT SELECT, INSERT, UPDATE ON users, accounts TO keel_central_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, verifications TO keel_central_app;
