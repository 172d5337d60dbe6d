-- Custom migration: the messaging kernel's system tables (0003). The app role writes them inside
-- its tenant transaction (outbox with the change, ledger with the effect) under the usual tenant
-- policy; the worker role (relay, consumer runtime, retention) reaches every tenant's rows through
-- a policy of its own. The comment marks them as cross-tenant system tables: their delivery
-- indexes cannot lead with tenant_id (see specs/tenancy.md, TEN-001).
CREATE FUNCTION keel_messaging_system_table(target regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM keel_isolate_tenant_table(target);
  EXECUTE format('CREATE POLICY worker_access ON %s TO keel_regional_worker USING (true) WITH CHECK (true)', target);
  EXECUTE format('COMMENT ON TABLE %s IS %L', target, 'keel:system-table');
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION keel_messaging_system_table(regclass) FROM PUBLIC;
--> statement-breakpoint
SELECT keel_messaging_system_table('outbox');
--> statement-breakpoint
SELECT keel_messaging_system_table('processed_messages');
--> statement-breakpoint
SELECT keel_messaging_system_table('dead_letters');
--> statement-breakpoint
-- The app role appends to the outbox and the ledger and reads them; it settles dead letters. It can
-- rewrite or delete none of them: that would lose events or apply effects twice.
REVOKE UPDATE, DELETE, TRUNCATE ON outbox, processed_messages FROM keel_regional_app;
--> statement-breakpoint
REVOKE INSERT, DELETE, TRUNCATE ON dead_letters FROM keel_regional_app;
--> statement-breakpoint
GRANT SELECT, UPDATE, DELETE ON outbox TO keel_regional_worker;
--> statement-breakpoint
GRANT SELECT, DELETE ON processed_messages TO keel_regional_worker;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON dead_letters TO keel_regional_worker;
--> statement-breakpoint
GRANT USAGE ON SEQUENCE outbox_id_seq TO keel_regional_app;
--> statement-breakpoint
-- The relay sleeps on this channel between batches; one notification per inserting statement.
CREATE FUNCTION keel_notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('keel_outbox', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION keel_notify_outbox();
