CREATE TABLE "presence" (
	"tenant_id" uuid NOT NULL,
	"room" text NOT NULL,
	"socket_id" text NOT NULL,
	"subject" text NOT NULL,
	"activity" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "presence_tenant_id_room_socket_id_pk" PRIMARY KEY("tenant_id","room","socket_id"),
	CONSTRAINT "presence_activity_check" CHECK ("presence"."activity" in ('viewing', 'editing'))
);
--> statement-breakpoint
CREATE INDEX "presence_tenant_id_socket_id_idx" ON "presence" USING btree ("tenant_id","socket_id");