-- Custom migration: the roles' baseline and the one function every tenant table goes through.
-- Roles are created outside migrations (by `keel start`, the test harness or infrastructure code):
--   keel_regional_owner  owns the schema and runs these migrations
--   keel_regional_app    API and handlers; subject to FORCEd row-level security
--   keel_regional_worker system tables across tenants (outbox, ledger, dead letters); no tenant data
GRANT USAGE ON SCHEMA public TO keel_regional_app, keel_regional_worker;
--> statement-breakpoint
CREATE FUNCTION keel_isolate_tenant_table(target regclass, tenant_column name DEFAULT 'tenant_id') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  -- FORCE: the table owner is subject to the policy too.
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s USING (%I = nullif(current_setting(''app.tenant_id'', true), '''')::uuid) '
    'WITH CHECK (%I = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)',
    target, tenant_column, tenant_column);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO keel_regional_app', target);
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION keel_isolate_tenant_table(regclass, name) FROM PUBLIC;
