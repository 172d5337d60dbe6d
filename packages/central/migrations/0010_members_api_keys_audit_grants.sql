-- Custom migration: central's app role manages invitations, memberships (role changes, removals),
-- organization names and API keys; it appends to the audit log but never changes or deletes an
-- entry; it keeps the sign-in rate-limit counters.
GRANT SELECT, INSERT, UPDATE ON invitations, api_keys TO keel_central_app;
--> statement-breakpoint
GRANT UPDATE, DELETE ON memberships TO keel_central_app;
--> statement-breakpoint
GRANT UPDATE (name) ON organizations TO keel_central_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON audit_events TO keel_central_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_rate_limits TO keel_central_app;
