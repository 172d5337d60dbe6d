-- Custom migration: sharded usage counters (see usage_counters in plans/schema.ts), tenant data
-- under the usual policy. Nothing here changes what the previous version calls: during a rolling
-- deploy its instances keep upserting usage_daily and calling keel_tenant_usage and
-- keel_usage_of_tenants, all left as they were.
SELECT keel_isolate_tenant_table('usage_counters');
--> statement-breakpoint
-- Every reader sums both tables through this view; security_invoker: it reads under the caller's
-- row-level security, not its owner's.
CREATE VIEW usage_by_day WITH (security_invoker = true) AS
  SELECT tenant_id, day, metric, sum(value)::bigint AS value
    FROM (SELECT tenant_id, day, metric, value FROM usage_counters
          UNION ALL
          SELECT tenant_id, day, metric, value FROM usage_daily) AS counted
   GROUP BY tenant_id, day, metric;
--> statement-breakpoint
GRANT SELECT ON usage_by_day TO keel_regional_app;
--> statement-breakpoint
-- queue.messages now counts in the shard of the appending session, so concurrent transactions of
-- one tenant no longer queue behind one counter row (the trigger is the database's: it applies to
-- both versions at once).
CREATE OR REPLACE FUNCTION keel_meter_queue_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage_counters (tenant_id, day, metric, shard, value)
  SELECT appended.tenant_id, (now() AT TIME ZONE tenants.timezone)::date, 'queue.messages', pg_backend_pid() % 64, count(*)
    FROM appended
    JOIN tenants ON tenants.tenant_id = appended.tenant_id
   GROUP BY appended.tenant_id, tenants.timezone
  ON CONFLICT (tenant_id, day, metric, shard) DO UPDATE SET value = usage_counters.value + excluded.value;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Every figure a plan limits, as of `at` (the region's clock): keel_tenant_usage's stores and
-- orders this month, plus the rows imported this month (metered `import.rows`, so retention of
-- finished imports changes nothing) and the webhook endpoints.
CREATE FUNCTION keel_plan_figures(tenant uuid, at timestamptz)
RETURNS TABLE (stores integer, orders_this_month integer, import_rows_this_month integer, webhook_endpoints integer)
LANGUAGE sql STABLE AS $$
  SELECT
    usage.stores,
    usage.orders_this_month,
    (SELECT coalesce(sum(value), 0)::integer FROM usage_by_day
      WHERE usage_by_day.tenant_id = tenant AND usage_by_day.metric = 'import.rows'
        AND usage_by_day.day >= date_trunc('month', at AT TIME ZONE tenants.timezone)::date
        AND usage_by_day.day < (date_trunc('month', at AT TIME ZONE tenants.timezone) + interval '1 month')::date),
    (SELECT count(*)::integer FROM webhook_endpoints WHERE webhook_endpoints.tenant_id = tenant)
  FROM tenants
  CROSS JOIN LATERAL keel_tenant_usage(tenant, at) AS usage
  WHERE tenants.tenant_id = tenant
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION keel_plan_figures(uuid, timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION keel_plan_figures(uuid, timestamptz) TO keel_regional_app;
--> statement-breakpoint
-- keel_usage_of_tenants with every figure: each tenant's under its own `app.tenant_id`.
CREATE FUNCTION keel_plan_figures_of_tenants(tenant_ids uuid[], at timestamptz)
RETURNS TABLE (tenant_id uuid, stores integer, orders_this_month integer, import_rows_this_month integer, webhook_endpoints integer)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  caller_tenant text := current_setting('app.tenant_id', true);
  tenant uuid;
BEGIN
  FOREACH tenant IN ARRAY tenant_ids LOOP
    PERFORM set_config('app.tenant_id', tenant::text, true);
    RETURN QUERY SELECT tenant, figures.stores, figures.orders_this_month, figures.import_rows_this_month, figures.webhook_endpoints
      FROM keel_plan_figures(tenant, at) AS figures;
  END LOOP;
  PERFORM set_config('app.tenant_id', coalesce(caller_tenant, ''), true);
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION keel_plan_figures_of_tenants(uuid[], timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION keel_plan_figures_of_tenants(uuid[], timestamptz) TO keel_regional_app;
