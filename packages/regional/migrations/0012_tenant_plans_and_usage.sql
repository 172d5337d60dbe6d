CREATE TABLE "tenant_plans" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"plan" text NOT NULL,
	"limits" jsonb NOT NULL,
	"access" text NOT NULL,
	"revision" integer NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_plans_plan_check" CHECK ("tenant_plans"."plan" in ('free', 'pro', 'platinum')),
	CONSTRAINT "tenant_plans_access_check" CHECK ("tenant_plans"."access" in ('active', 'ended')),
	CONSTRAINT "tenant_plans_revision_check" CHECK ("tenant_plans"."revision" >= 1)
);
--> statement-breakpoint
CREATE TABLE "usage_daily" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"value" bigint NOT NULL,
	CONSTRAINT "usage_daily_tenant_id_day_metric_pk" PRIMARY KEY("tenant_id","day","metric"),
	CONSTRAINT "usage_daily_value_check" CHECK ("usage_daily"."value" >= 0)
);
