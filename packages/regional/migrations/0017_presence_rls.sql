-- Custom migration: presence rows are tenant data under the usual policy (the app role writes and
-- reads them in the socket's tenant). A sweep on every instance finds rows whose instance died: the
-- worker role may read which tenant's rooms have rows and when they expire, no subject or socket.
-- The rows themselves are then deleted and listed by the app role, tenant by tenant.
SELECT keel_isolate_tenant_table('presence');
--> statement-breakpoint
COMMENT ON TABLE presence IS 'keel:system-table';
--> statement-breakpoint
CREATE POLICY worker_access ON presence FOR SELECT TO keel_regional_worker USING (true);
--> statement-breakpoint
GRANT SELECT (tenant_id, room, expires_at) ON presence TO keel_regional_worker;
