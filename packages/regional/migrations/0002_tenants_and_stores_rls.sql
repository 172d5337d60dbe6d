-- Custom migration: tenant isolation for the tables of 0001.
SELECT keel_isolate_tenant_table('tenants');
--> statement-breakpoint
SELECT keel_isolate_tenant_table('stores');
