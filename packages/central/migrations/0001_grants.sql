-- Custom migration: what central's app and worker roles may touch (roles are created outside
-- migrations; see packages/regional/migrations/0000 for the three-role model).
GRANT USAGE ON SCHEMA public TO keel_central_app, keel_central_worker;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON regions, signing_keys TO keel_central_app;
