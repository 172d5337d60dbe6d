CREATE TABLE "dead_letters" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT uuidv7() NOT NULL,
	"consumer" text NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"attempts" integer NOT NULL,
	"last_error_code" text NOT NULL,
	"last_error_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dead_letters_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "dead_letters_status_check" CHECK ("dead_letters"."status" in ('open', 'replayed', 'discarded'))
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"consumer" text,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "processed_messages" (
	"tenant_id" uuid NOT NULL,
	"consumer" text NOT NULL,
	"event_id" uuid NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_messages_tenant_id_consumer_event_id_pk" PRIMARY KEY("tenant_id","consumer","event_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "dead_letters_tenant_id_consumer_event_id_key" ON "dead_letters" USING btree ("tenant_id","consumer","event_id");--> statement-breakpoint
CREATE INDEX "dead_letters_tenant_id_status_idx" ON "dead_letters" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "outbox" USING btree ("id") WHERE "outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "processed_messages_processed_at_idx" ON "processed_messages" USING btree ("processed_at");