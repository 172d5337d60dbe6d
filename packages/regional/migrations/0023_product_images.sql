CREATE TABLE "product_images" (
	"tenant_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"state" text DEFAULT 'awaiting_upload' NOT NULL,
	"content_type" text NOT NULL,
	"declared_bytes" bigint NOT NULL,
	"width" integer,
	"height" integer,
	"failure_code" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_images_tenant_id_product_id_pk" PRIMARY KEY("tenant_id","product_id"),
	CONSTRAINT "product_images_state_check" CHECK ("product_images"."state" in ('awaiting_upload', 'processing', 'ready', 'failed')),
	CONSTRAINT "product_images_failed_check" CHECK (("product_images"."state" = 'failed') = ("product_images"."failure_code" is not null))
);
--> statement-breakpoint
ALTER TABLE "product_images" ADD CONSTRAINT "product_images_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE cascade ON UPDATE no action;