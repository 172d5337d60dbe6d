ALTER TABLE "signing_keys" ADD COLUMN "published_until" timestamp with time zone;--> statement-breakpoint
-- Before this migration two instances starting at once could each create an active key: keep the
-- newest active, retire the others with the default overlap, so the unique index below can exist.
UPDATE "signing_keys" SET "retired_at" = now(), "published_until" = now() + interval '15 minutes'
WHERE "retired_at" IS NULL AND "kid" <> (SELECT "kid" FROM "signing_keys" WHERE "retired_at" IS NULL ORDER BY "created_at" DESC, "kid" LIMIT 1);--> statement-breakpoint
CREATE UNIQUE INDEX "signing_keys_one_active_idx" ON "signing_keys" USING btree ((true)) WHERE "signing_keys"."retired_at" is null;