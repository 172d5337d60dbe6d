CREATE TABLE "plans" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"rank" integer NOT NULL,
	"price_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"max_stores" integer,
	"max_members" integer,
	"max_orders_per_month" integer,
	"max_import_rows_per_month" integer,
	"max_webhook_endpoints" integer,
	"max_api_keys" integer,
	CONSTRAINT "plans_rank_unique" UNIQUE("rank"),
	CONSTRAINT "plans_id_check" CHECK ("plans"."id" in ('free', 'pro', 'platinum')),
	CONSTRAINT "plans_price_check" CHECK ("plans"."price_minor" >= 0),
	CONSTRAINT "plans_limits_check" CHECK (coalesce("plans"."max_stores", 0) >= 0 and coalesce("plans"."max_members", 0) >= 0 and coalesce("plans"."max_orders_per_month", 0) >= 0 and coalesce("plans"."max_import_rows_per_month", 0) >= 0 and coalesce("plans"."max_webhook_endpoints", 0) >= 0 and coalesce("plans"."max_api_keys", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"plan" text NOT NULL,
	"status" text NOT NULL,
	"current_period_start" timestamp with time zone NOT NULL,
	"current_period_end" timestamp with time zone,
	"period_anchor" timestamp with time zone,
	"cancel_at_period_end" boolean DEFAULT false NOT NULL,
	"pending_plan" text,
	"revision" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "subscriptions_status_check" CHECK ("subscriptions"."status" in ('active', 'ended')),
	CONSTRAINT "subscriptions_period_check" CHECK (("subscriptions"."plan" = 'free') = ("subscriptions"."current_period_end" is null) and ("subscriptions"."current_period_end" is null) = ("subscriptions"."period_anchor" is null)),
	CONSTRAINT "subscriptions_free_check" CHECK ("subscriptions"."plan" <> 'free' or (not "subscriptions"."cancel_at_period_end" and "subscriptions"."pending_plan" is null)),
	CONSTRAINT "subscriptions_revision_check" CHECK ("subscriptions"."revision" >= 1)
);
--> statement-breakpoint
CREATE TABLE "usage_reports" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"region" text NOT NULL,
	"measured_at" timestamp with time zone NOT NULL,
	"stores" integer NOT NULL,
	"webhook_endpoints" integer NOT NULL,
	"orders_this_month" integer NOT NULL,
	"import_rows_this_month" integer NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_plan_plans_id_fk" FOREIGN KEY ("plan") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_pending_plan_plans_id_fk" FOREIGN KEY ("pending_plan") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_reports" ADD CONSTRAINT "usage_reports_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "subscriptions_due_idx" ON "subscriptions" USING btree ("current_period_end") WHERE "subscriptions"."current_period_end" is not null;