-- Custom migration: tenant isolation for the catalogue, orders and reviews.
SELECT keel_isolate_tenant_table('products');
--> statement-breakpoint
SELECT keel_isolate_tenant_table('order_numbers');
--> statement-breakpoint
SELECT keel_isolate_tenant_table('orders');
--> statement-breakpoint
SELECT keel_isolate_tenant_table('order_lines');
--> statement-breakpoint
SELECT keel_isolate_tenant_table('order_status_changes');
--> statement-breakpoint
SELECT keel_isolate_tenant_table('order_idempotency_keys');
--> statement-breakpoint
SELECT keel_isolate_tenant_table('reviews');
