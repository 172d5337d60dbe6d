-- Custom migration: outbound webhooks (specs/webhooks.md). Endpoints and their delivery log are
-- tenant data under the usual policy: admins' requests and the delivery consumer write them in the
-- tenant's transaction.
SELECT keel_isolate_tenant_table('webhook_endpoints');
--> statement-breakpoint
SELECT keel_isolate_tenant_table('webhook_deliveries');
