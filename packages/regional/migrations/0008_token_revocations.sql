CREATE TABLE "token_revocations" (
	"tenant_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"revoked_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	CONSTRAINT "token_revocations_tenant_id_subject_pk" PRIMARY KEY("tenant_id","subject")
);
