CREATE TABLE "feed_events" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"tenant_id" uuid,
	"region" text,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sns_published_at" timestamp with time zone,
	CONSTRAINT "feed_events_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
ALTER TABLE "regions" ADD COLUMN "credential_hash" text;--> statement-breakpoint
CREATE INDEX "feed_events_region_position_idx" ON "feed_events" USING btree ("region","position");--> statement-breakpoint
CREATE INDEX "feed_events_sns_unpublished_idx" ON "feed_events" USING btree ("position") WHERE "feed_events"."sns_published_at" is null;