-- Custom migration: CSV imports and their rejected rows are tenant data under the usual policy;
-- the API and the import worker write them in the tenant's transaction.
SELECT keel_isolate_tenant_table('imports');
--> statement-breakpoint
SELECT keel_isolate_tenant_table('import_rejections');
