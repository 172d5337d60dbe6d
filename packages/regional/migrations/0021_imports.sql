CREATE TABLE "import_rejections" (
	"tenant_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"row" integer NOT NULL,
	"code" text NOT NULL,
	"field" text,
	CONSTRAINT "import_rejections_tenant_id_import_id_row_pk" PRIMARY KEY("tenant_id","import_id","row")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT uuidv7() NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"declared_bytes" bigint NOT NULL,
	"storage_key" text NOT NULL,
	"state" text DEFAULT 'awaiting_upload' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"rows_imported" integer DEFAULT 0 NOT NULL,
	"rows_rejected" integer DEFAULT 0 NOT NULL,
	"checkpoint_row" integer DEFAULT 0 NOT NULL,
	"checkpoint_byte" bigint DEFAULT 0 NOT NULL,
	"columns" jsonb,
	"failure_code" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"queued_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "imports_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "imports_progress_check" CHECK ("imports"."progress" between 0 and 100),
	CONSTRAINT "imports_finished_check" CHECK (("imports"."state" in ('done', 'failed')) = ("imports"."finished_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "import_rejections" ADD CONSTRAINT "import_rejections_import_fk" FOREIGN KEY ("tenant_id","import_id") REFERENCES "public"."imports"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "imports_tenant_id_created_at_idx" ON "imports" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);