-- Custom migration: the plans (specs/subscriptions.md), what central's app role may do with plans,
-- subscriptions and usage reports, and a Free subscription for every organization that exists
-- already, announced to its home region like a new organization's (`tenant.plan_changed`, revision 1).
INSERT INTO plans (id, name, rank, price_minor, currency, max_stores, max_members, max_orders_per_month, max_import_rows_per_month, max_webhook_endpoints, max_api_keys) VALUES
  ('free', 'Free', 0, 0, 'USD', 1, 3, 100, 1000, 1, 1),
  ('pro', 'Pro', 1, 4900, 'USD', 10, 25, 10000, 100000, 10, 10),
  ('platinum', 'Platinum', 2, 19900, 'USD', NULL, NULL, NULL, NULL, NULL, NULL);
--> statement-breakpoint
GRANT SELECT ON plans TO keel_central_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON subscriptions, usage_reports TO keel_central_app;
--> statement-breakpoint
INSERT INTO subscriptions (organization_id, plan, status, current_period_start, revision, updated_at)
  SELECT id, 'free', 'active', created_at, 1, now() FROM organizations;
--> statement-breakpoint
-- The feed's append lock (appendToFeed), so positions stay in commit order.
SELECT pg_advisory_xact_lock(7305861042914);
--> statement-breakpoint
INSERT INTO feed_events (event_id, type, tenant_id, region, payload)
  SELECT pg_catalog.gen_random_uuid(), 'tenant.plan_changed', o.id, o.home_region,
    jsonb_build_object(
      'tenantId', o.id,
      'plan', p.id,
      'limits', jsonb_build_object(
        'stores', p.max_stores, 'members', p.max_members, 'ordersPerMonth', p.max_orders_per_month,
        'importRowsPerMonth', p.max_import_rows_per_month, 'webhookEndpoints', p.max_webhook_endpoints, 'apiKeys', p.max_api_keys),
      'access', 'active',
      'revision', 1,
      'changedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
  FROM organizations o CROSS JOIN plans p
  WHERE p.id = 'free'
  ORDER BY o.created_at, o.id;
