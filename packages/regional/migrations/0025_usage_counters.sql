CREATE TABLE "usage_counters" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"shard" smallint NOT NULL,
	"value" bigint NOT NULL,
	CONSTRAINT "usage_counters_tenant_id_day_metric_shard_pk" PRIMARY KEY("tenant_id","day","metric","shard"),
	CONSTRAINT "usage_counters_value_check" CHECK ("usage_counters"."value" >= 0)
);
