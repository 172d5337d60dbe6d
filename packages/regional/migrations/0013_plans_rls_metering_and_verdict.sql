-- Custom migration: plans and usage (specs/subscriptions.md, "In the region").
-- Both tables are tenant data under the usual policy: the plan consumer and the API write them in
-- the tenant's transaction.
SELECT keel_isolate_tenant_table('tenant_plans');
--> statement-breakpoint
SELECT keel_isolate_tenant_table('usage_daily');
--> statement-breakpoint
-- The usage reporter lists the region's tenants to report on (the worker role cannot read
-- `tenants`): it may read the ids of `tenant_plans` across tenants, no other column. The figures
-- themselves are computed by the app role, tenant by tenant (keel_usage_of_tenants below).
COMMENT ON TABLE tenant_plans IS 'keel:system-table';
--> statement-breakpoint
CREATE POLICY worker_access ON tenant_plans FOR SELECT TO keel_regional_worker USING (true);
--> statement-breakpoint
GRANT SELECT (tenant_id) ON tenant_plans TO keel_regional_worker;
--> statement-breakpoint
-- queue.messages: every event appended to the outbox counts, in the statement that appends it, so
-- no producer can forget it and a rolled-back change counts nothing. The day is the transaction's
-- (as `created_at`), in the tenant's time zone; the trigger runs as the appending role, under the
-- tenant's row-level security.
CREATE FUNCTION keel_meter_queue_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage_daily (tenant_id, day, metric, value)
  SELECT appended.tenant_id, (now() AT TIME ZONE tenants.timezone)::date, 'queue.messages', count(*)
    FROM appended
    JOIN tenants ON tenants.tenant_id = appended.tenant_id
   GROUP BY appended.tenant_id, tenants.timezone
  ON CONFLICT (tenant_id, day, metric) DO UPDATE SET value = usage_daily.value + excluded.value;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER outbox_meter AFTER INSERT ON outbox REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION keel_meter_queue_messages();
--> statement-breakpoint
-- A tenant's figures that plans limit, as of `at` (the region's clock): its stores, and its orders
-- created in the calendar month that holds `at` in the tenant's time zone (as STO-010 counts the
-- month's revenue). Runs under the caller's tenant; no row when the region has no such tenant.
CREATE FUNCTION keel_tenant_usage(tenant uuid, at timestamptz) RETURNS TABLE (stores integer, orders_this_month integer)
LANGUAGE sql STABLE AS $$
  SELECT
    (SELECT count(*)::integer FROM stores WHERE stores.tenant_id = tenant),
    (SELECT count(*)::integer FROM orders
      WHERE orders.tenant_id = tenant
        AND orders.created_at >= (date_trunc('month', at AT TIME ZONE tenants.timezone) AT TIME ZONE tenants.timezone)
        AND orders.created_at < ((date_trunc('month', at AT TIME ZONE tenants.timezone) + interval '1 month') AT TIME ZONE tenants.timezone))
  FROM tenants
  WHERE tenants.tenant_id = tenant
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION keel_tenant_usage(uuid, timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION keel_tenant_usage(uuid, timestamptz) TO keel_regional_app;
--> statement-breakpoint
-- The usage report's figures for many tenants in one statement: each tenant's under its own
-- `app.tenant_id` (row-level security scopes every lookup), as one transaction would set it. The
-- caller's setting is restored afterwards. Runs as the caller (the app role).
CREATE FUNCTION keel_usage_of_tenants(tenant_ids uuid[], at timestamptz) RETURNS TABLE (tenant_id uuid, stores integer, orders_this_month integer)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  caller_tenant text := current_setting('app.tenant_id', true);
  tenant uuid;
BEGIN
  FOREACH tenant IN ARRAY tenant_ids LOOP
    PERFORM set_config('app.tenant_id', tenant::text, true);
    RETURN QUERY SELECT tenant, figures.stores, figures.orders_this_month FROM keel_tenant_usage(tenant, at) AS figures;
  END LOOP;
  PERFORM set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION keel_usage_of_tenants(uuid[], timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION keel_usage_of_tenants(uuid[], timestamptz) TO keel_regional_app;
--> statement-breakpoint
-- Authentication's one statement per request (keel_token_revoked of migration 0009, extended): the
-- verdict on a verified token — `revoked` (central revoked its subject at or after the second it
-- was issued), else `ended` (the tenant's subscription ended), else `ok`. It sets the token's
-- tenant for its own implicit transaction, so row-level security scopes both lookups. The old
-- function stays until no running instance calls it (a rolling deploy runs both versions).
CREATE FUNCTION keel_request_verdict(tenant uuid, token_subject text, issued_at_seconds bigint) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('app.tenant_id', tenant::text, true);
  IF EXISTS (
    SELECT 1 FROM token_revocations
    WHERE tenant_id = tenant AND subject = token_subject
      -- iat has whole seconds: a token of the revocation's second counts as issued before it.
      AND issued_at_seconds <= floor(extract(epoch FROM revoked_at))
  ) THEN
    RETURN 'revoked';
  END IF;
  IF EXISTS (SELECT 1 FROM tenant_plans WHERE tenant_id = tenant AND access = 'ended') THEN
    RETURN 'ended';
  END IF;
  RETURN 'ok';
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION keel_request_verdict(uuid, text, bigint) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION keel_request_verdict(uuid, text, bigint) TO keel_regional_app;
