import { isIP } from 'node:net';
import { z } from 'zod';
import type { StorageConfig } from '../storage/storage-port.ts';

/**
 * Every setting Keel reads from the environment, validated in one place. A bad or missing value
 * stops start-up with one line naming the variable (see `ConfigError`).
 */
const roles = ['all', 'central', 'regional', 'edge'] as const;
export type KeelRole = (typeof roles)[number];

function isIpOrCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  if (rest.length > 0 || address === undefined || isIP(address) === 0) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return Number.isInteger(prefix) && prefix >= 0 && prefix <= (isIP(address) === 4 ? 32 : 128) && /^\d+$/.test(bits);
}

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().min(0);
const postgresUrl = z.url({ protocol: /^postgres(ql)?$/ });
const httpUrl = z.url({ protocol: /^https?$/ });

/** 30 attempts per client address in 10 minutes; 10 failed sign-ins per email in 15 minutes. */
export const DEFAULT_AUTH_RATE_LIMITS: AuthRateLimits = {
  perIp: { max: 30, windowMs: 600_000 },
  perEmail: { max: 10, windowMs: 900_000 },
};

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  KEEL_ROLE: z.enum(roles).default('all'),
  KEEL_REGION: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be lower-case letters, digits and dashes')
    .default('local'),
  KEEL_DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SENTRY_DSN: z.url().optional(),
  CENTRAL_DATABASE_OWNER_URL: postgresUrl.optional(),
  CENTRAL_DATABASE_APP_URL: postgresUrl.optional(),
  CENTRAL_DATABASE_WORKER_URL: postgresUrl.optional(),
  REGIONAL_DATABASE_OWNER_URL: postgresUrl.optional(),
  REGIONAL_DATABASE_APP_URL: postgresUrl.optional(),
  REGIONAL_DATABASE_WORKER_URL: postgresUrl.optional(),
  CENTRAL_URL: httpUrl.optional(),
  CENTRAL_JWKS_URL: httpUrl.optional(),
  KEEL_REGION_URLS: z
    .string()
    .regex(/^[a-z][a-z0-9-]*=https?:\/\/[^,\s]+(,[a-z][a-z0-9-]*=https?:\/\/[^,\s]+)*$/, 'must be region=url pairs separated by commas')
    .optional(),
  BODY_LIMIT_BYTES: positiveInt.default(1_048_576),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  QUERY_REPEAT_WARN_THRESHOLD: positiveInt.default(5),
  JWKS_CACHE_MAX_AGE_MS: positiveInt.default(600_000),
  QUEUE_DRIVER: z.enum(['postgres', 'sqs']).default('postgres'),
  SQS_ENDPOINT: httpUrl.optional(),
  SQS_QUEUE_PREFIX: z.string().regex(/^[\w-]{0,40}$/, 'must be letters, digits, - and _').default('keel'),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  QUEUE_VISIBILITY_TIMEOUT_MS: positiveInt.default(60_000),
  QUEUE_MAX_TRANSPORT_ATTEMPTS: positiveInt.default(10),
  QUEUE_CONCURRENCY: positiveInt.default(8),
  QUEUE_SUPERVISE_INTERVAL_MS: positiveInt.default(10_000),
  MESSAGE_MAX_ATTEMPTS: positiveInt.default(5),
  RETRY_BASE_DELAY_MS: nonNegativeInt.default(1_000),
  RETRY_MAX_DELAY_MS: nonNegativeInt.default(300_000),
  OUTBOX_POLL_INTERVAL_MS: positiveInt.default(1_000),
  OPS_LOG_INTERVAL_MS: positiveInt.default(60_000),
  USAGE_REPORT_INTERVAL_MS: positiveInt.default(60_000),
  REALTIME_TOKEN_CHECK_INTERVAL_MS: positiveInt.default(5_000),
  // Real-time presence (H2): an entry lives this long after its socket's last heartbeat (sent every third
  // of it); every instance sweeps expired entries at the interval.
  REALTIME_PRESENCE_TTL_MS: positiveInt.min(1_000).default(30_000),
  REALTIME_PRESENCE_SWEEP_INTERVAL_MS: positiveInt.default(5_000),
  // Real-time fan-out across instances (H1): in-memory for one instance, else a shared adapter.
  REALTIME_ADAPTER: z.enum(['memory', 'postgres', 'redis']).default('memory'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  // Central: how often subscription period ends (renewals, downgrades, cancelled plans) are processed.
  SUBSCRIPTION_PERIOD_INTERVAL_MS: positiveInt.default(60_000),
  FEED_DRIVER: z.enum(['http', 'sns']).default('http'),
  // Central's feed answers long polls of at most 25 s (MAX_FEED_WAIT_MS in central's contracts).
  FEED_LONG_POLL_MS: positiveInt.max(25_000).default(20_000),
  FEED_RETRY_DELAY_MS: positiveInt.default(1_000),
  // A retired signing key must outlive the tokens it signed: at least their 5 minutes.
  SIGNING_KEY_OVERLAP_MS: positiveInt.min(300_000).default(900_000),
  SNS_ENDPOINT: httpUrl.optional(),
  SNS_TOPIC_ARN: z.string().startsWith('arn:').optional(),
  KEEL_REGION_CREDENTIAL: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // Sign-in and emailed-link attempts, counted in central's database (see specs/tenancy.md).
  AUTH_RATE_LIMIT_PER_IP: positiveInt.default(DEFAULT_AUTH_RATE_LIMITS.perIp.max),
  AUTH_RATE_LIMIT_IP_WINDOW_MS: positiveInt.min(1_000).default(DEFAULT_AUTH_RATE_LIMITS.perIp.windowMs),
  AUTH_RATE_LIMIT_PER_EMAIL: positiveInt.default(DEFAULT_AUTH_RATE_LIMITS.perEmail.max),
  AUTH_RATE_LIMIT_EMAIL_WINDOW_MS: positiveInt.min(1_000).default(DEFAULT_AUTH_RATE_LIMITS.perEmail.windowMs),
  PUBLIC_URL: httpUrl.refine((value) => new URL(value).pathname === '/', 'must be an origin, without a path').optional(),
  /** Default: on, except in production, where the demo accounts (whose password is public) are refused. */
  KEEL_SEED: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  TRUST_PROXY: z
    .string()
    .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
    .refine((items) => items.every((item) => ['loopback', 'linklocal', 'uniquelocal'].includes(item) || isIpOrCidr(item)), 'must be addresses, CIDRs or loopback/linklocal/uniquelocal, separated by commas')
    .default([]),
  // Object storage (H3: uploads and imports).
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  STORAGE_DIR: z.string().min(1).optional(),
  STORAGE_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  UPLOAD_URL_TTL_MS: positiveInt.default(900_000),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name').optional(),
  S3_ENDPOINT: httpUrl.optional(),
  IMPORT_BATCH_SIZE: positiveInt.max(10_000).default(2_000),
  IMPORT_MAX_BYTES: positiveInt.default(26_214_400),
  // Outbound webhooks (H4, specs/webhooks.md).
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
  WEBHOOK_TIMEOUT_MS: positiveInt.default(10_000),
  WEBHOOK_MAX_ATTEMPTS: positiveInt.default(10),
  WEBHOOK_RETRY_BASE_DELAY_MS: nonNegativeInt.default(5_000),
  WEBHOOK_RETRY_MAX_DELAY_MS: nonNegativeInt.max(900_000).default(900_000),
  WEBHOOK_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  WEBHOOK_SECRET_ROTATION_OVERLAP_MS: nonNegativeInt.default(86_400_000),
  // Retention (H5, specs/retention.md): each layer's scheduled purge, rows per statement, and how long things are kept.
  RETENTION_INTERVAL_MS: positiveInt.default(3_600_000),
  RETENTION_BATCH_SIZE: positiveInt.max(50_000).default(1_000),
  RETENTION_OUTBOX_DAYS: positiveInt.default(7),
  // The ledger deduplicates redeliveries: it outlives SQS's 14-day dead-letter queue (RET-004).
  RETENTION_LEDGER_DAYS: positiveInt.min(15, 'must be at least 15 (a message may come back from a dead-letter queue for 14 days)').default(30),
  // A revocation outlives the tokens it refuses: 5 minutes of token lifetime plus clock skew (RET-005).
  RETENTION_TOKEN_REVOCATION_MINUTES: positiveInt.min(10, 'must be at least 10 (tokens live 5 minutes, plus clock skew)').default(60),
  RETENTION_WEBHOOK_DELIVERIES_DAYS: positiveInt.default(30),
  RETENTION_IMPORTS_DAYS: positiveInt.default(30),
  // Product images (H5, specs/catalog.md): the largest original an admin may upload.
  PRODUCT_IMAGE_MAX_BYTES: positiveInt.max(52_428_800).default(5_242_880),
  KEEL_FAILPOINTS: z.string().regex(/^[\w:.,-]*$/, 'must be failpoint names separated by commas').default(''),
});

export type Environment = z.infer<typeof environmentSchema>;

export interface DatabaseUrls {
  owner: string;
  app: string;
  worker: string;
}

export interface KeelConfig {
  env: Environment['NODE_ENV'];
  port: number;
  host: string;
  role: KeelRole;
  region: string;
  dataDir: string;
  logLevel: Environment['LOG_LEVEL'];
  sentryDsn: string | undefined;
  /** Undefined when the layer runs on the embedded PostgreSQL that `keel start` launches. */
  centralDatabase: DatabaseUrls | undefined;
  regionalDatabase: DatabaseUrls | undefined;
  centralUrl: string | undefined;
  centralJwksUrl: string | undefined;
  regionUrls: ReadonlyMap<string, string>;
  /** Signs central's session cookies; required in production, made up per start otherwise. */
  authSecret: string | undefined;
  /** Where browsers reach Keel; undefined: http://127.0.0.1:<the port it listens on>. */
  publicUrl: string | undefined;
  /** Central: sign-in and emailed-link attempts allowed per client address and per email. */
  authRateLimits: AuthRateLimits;
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  queryRepeatWarnThreshold: number;
  jwksCacheMaxAgeMs: number;
  /** How long `keel keys rotate` keeps the previous key in central's JWKS. */
  signingKeyOverlapMs: number;
  queue: QueueConfig;
  feed: FeedConfig;
  opsLogIntervalMs: number;
  /** Regional: how often the region reports its tenants' usage to central (with its credential). */
  usageReportIntervalMs: number;
  /** Regional: how often real-time sockets are checked for an expired token (and cut). */
  realtimeTokenCheckIntervalMs: number;
  /** Regional: how long a presence entry outlives its socket's last heartbeat, and how often expired ones are swept. */
  realtimePresence: RealtimePresenceConfig;
  /** Regional: how Socket.IO events reach the sockets of every instance (see RealtimeAdapterConfig). */
  realtimeAdapter: RealtimeAdapterConfig;
  /** Central: how often subscription period ends are processed. */
  subscriptionPeriodIntervalMs: number;
  /** Proxies trusted to name the client in `X-Forwarded-For` (load balancer, a separate edge). */
  trustProxy: readonly string[];
  /** `keel start` creates the demo organizations and users when central has none of them yet. */
  seedDemoData: boolean;
  /** Regional: outbound webhooks (H4). */
  webhooks: WebhookConfig;
  /** Test-only crash points (see failpoints.ts); ignored in production. */
  failpoints: string[];
  /** Regional: where uploaded and derived files live (see storage/storage-port.ts). */
  storage: StorageConfig;
  /** Regional: CSV imports (specs/uploads.md). */
  imports: ImportsConfig;
  /** Both layers: the scheduled purge of what has served its time (specs/retention.md). */
  retention: RetentionConfig;
  /** Regional: product images (specs/catalog.md). */
  productImages: { maxBytes: number };
}

export interface RetentionConfig {
  intervalMs: number;
  /** At most this many rows per delete statement. */
  batchSize: number;
  outboxDays: number;
  ledgerDays: number;
  tokenRevocationMinutes: number;
  webhookDeliveriesDays: number;
  /** Finished imports (their record, rejections and stored file). */
  importsDays: number;
}

/**
 * memory: one instance only; postgres: NOTIFY on the regional database (no connection-state
 * recovery); redis: Redis Streams, with connection-state recovery across instances.
 */
export type RealtimeAdapterConfig = { kind: 'memory' } | { kind: 'postgres' } | { kind: 'redis'; url: string };

export interface RealtimePresenceConfig {
  ttlMs: number;
  sweepIntervalMs: number;
}

export interface WebhookConfig {
  /** Development and tests only: deliver to loopback, private and other non-public addresses, over http too. */
  allowPrivateTargets: boolean;
  /** One delivery attempt, connection to last byte. */
  timeoutMs: number;
  /** Attempts before a delivery becomes a dead letter, and the backoff between them (≤ 15 min: SQS). */
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  /** Encrypts endpoint secrets at rest; required in production (else derived from the embedded data's secret, or made up per start). */
  secretKey: string | undefined;
  /** How long the previous secret still signs (a second signature) after a rotation. */
  secretRotationOverlapMs: number;
}

export interface ImportsConfig {
  /** Rows per transaction, per checkpoint and per progress event. */
  batchSize: number;
  /** The largest CSV file accepted, checked on the declared size and again on the stored file. */
  maxBytes: number;
}

export interface AuthRateLimit {
  max: number;
  windowMs: number;
}

export interface AuthRateLimits {
  /** Every attempt from one client address counts. */
  perIp: AuthRateLimit;
  /** Failed sign-ins (and every emailed-link request) for one email count. */
  perEmail: AuthRateLimit;
}

export interface QueueConfig {
  driver: 'postgres' | 'sqs';
  sqs: { endpoint: string | undefined; region: string; queuePrefix: string };
  visibilityTimeoutMs: number;
  maxTransportAttempts: number;
  concurrency: number;
  /** PostgreSQL driver: how often abandoned deliveries (dead consumers) are failed back. */
  superviseIntervalMs: number;
  /** Attempts by the consumer runtime before a message is dead-lettered. */
  maxAttempts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  outboxPollIntervalMs: number;
}

export interface FeedConfig {
  /** How regions receive central's events: pull over HTTP, or SNS → one SQS queue per region. */
  driver: 'http' | 'sns';
  longPollMs: number;
  /** Pause after a failed pull of central's feed. */
  retryDelayMs: number;
  sns: { endpoint: string | undefined; topicArn: string | undefined };
  /** The secret a region presents to central's feed; generated per start in one-process mode. */
  regionCredential: string | undefined;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function runsCentral(role: KeelRole): boolean {
  return role === 'all' || role === 'central';
}

export function runsRegional(role: KeelRole): boolean {
  return role === 'all' || role === 'regional';
}

export function runsEdge(role: KeelRole): boolean {
  return role === 'all' || role === 'edge';
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): KeelConfig {
  const parsed = environmentSchema.safeParse(withoutEmptyValues(source));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${variable} ${issue.message} (got ${describeValue(variable, source[variable])})`);
  }
  const env = parsed.data;
  const config: KeelConfig = {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    role: env.KEEL_ROLE,
    region: env.KEEL_REGION,
    dataDir: env.KEEL_DATA_DIR,
    logLevel: env.LOG_LEVEL,
    sentryDsn: env.SENTRY_DSN,
    centralDatabase: databaseUrls(env, 'CENTRAL'),
    regionalDatabase: databaseUrls(env, 'REGIONAL'),
    centralUrl: env.CENTRAL_URL,
    centralJwksUrl: env.CENTRAL_JWKS_URL,
    regionUrls: parseRegionUrls(env.KEEL_REGION_URLS),
    authSecret: env.AUTH_SECRET,
    publicUrl: env.PUBLIC_URL,
    authRateLimits: {
      perIp: { max: env.AUTH_RATE_LIMIT_PER_IP, windowMs: env.AUTH_RATE_LIMIT_IP_WINDOW_MS },
      perEmail: { max: env.AUTH_RATE_LIMIT_PER_EMAIL, windowMs: env.AUTH_RATE_LIMIT_EMAIL_WINDOW_MS },
    },
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    queryRepeatWarnThreshold: env.QUERY_REPEAT_WARN_THRESHOLD,
    jwksCacheMaxAgeMs: env.JWKS_CACHE_MAX_AGE_MS,
    signingKeyOverlapMs: env.SIGNING_KEY_OVERLAP_MS,
    queue: {
      driver: env.QUEUE_DRIVER,
      sqs: { endpoint: env.SQS_ENDPOINT, region: env.AWS_REGION, queuePrefix: env.SQS_QUEUE_PREFIX },
      visibilityTimeoutMs: env.QUEUE_VISIBILITY_TIMEOUT_MS,
      maxTransportAttempts: env.QUEUE_MAX_TRANSPORT_ATTEMPTS,
      concurrency: env.QUEUE_CONCURRENCY,
      superviseIntervalMs: env.QUEUE_SUPERVISE_INTERVAL_MS,
      maxAttempts: env.MESSAGE_MAX_ATTEMPTS,
      retryBaseDelayMs: env.RETRY_BASE_DELAY_MS,
      retryMaxDelayMs: env.RETRY_MAX_DELAY_MS,
      outboxPollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
    },
    feed: {
      driver: env.FEED_DRIVER,
      longPollMs: env.FEED_LONG_POLL_MS,
      retryDelayMs: env.FEED_RETRY_DELAY_MS,
      sns: { endpoint: env.SNS_ENDPOINT, topicArn: env.SNS_TOPIC_ARN },
      regionCredential: env.KEEL_REGION_CREDENTIAL,
    },
    opsLogIntervalMs: env.OPS_LOG_INTERVAL_MS,
    usageReportIntervalMs: env.USAGE_REPORT_INTERVAL_MS,
    realtimeTokenCheckIntervalMs: env.REALTIME_TOKEN_CHECK_INTERVAL_MS,
    realtimePresence: { ttlMs: env.REALTIME_PRESENCE_TTL_MS, sweepIntervalMs: env.REALTIME_PRESENCE_SWEEP_INTERVAL_MS },
    realtimeAdapter: realtimeAdapter(env),
    subscriptionPeriodIntervalMs: env.SUBSCRIPTION_PERIOD_INTERVAL_MS,
    trustProxy: env.TRUST_PROXY,
    seedDemoData: (env.KEEL_SEED ?? (env.NODE_ENV === 'production' ? 'false' : 'true')) === 'true',
    webhooks: {
      allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true',
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      retry: { maxAttempts: env.WEBHOOK_MAX_ATTEMPTS, baseDelayMs: env.WEBHOOK_RETRY_BASE_DELAY_MS, maxDelayMs: env.WEBHOOK_RETRY_MAX_DELAY_MS },
      secretKey: env.WEBHOOK_SECRET_KEY,
      secretRotationOverlapMs: env.WEBHOOK_SECRET_ROTATION_OVERLAP_MS,
    },
    failpoints: env.KEEL_FAILPOINTS.split(',').filter(Boolean),
    storage: {
      driver: env.STORAGE_DRIVER,
      directory: env.STORAGE_DIR ?? `${env.KEEL_DATA_DIR}/storage`,
      signingSecret: env.STORAGE_SIGNING_SECRET,
      uploadTtlMs: env.UPLOAD_URL_TTL_MS,
      s3: { bucket: env.S3_BUCKET, endpoint: env.S3_ENDPOINT, region: env.AWS_REGION },
    },
    imports: { batchSize: env.IMPORT_BATCH_SIZE, maxBytes: env.IMPORT_MAX_BYTES },
    retention: {
      intervalMs: env.RETENTION_INTERVAL_MS,
      batchSize: env.RETENTION_BATCH_SIZE,
      outboxDays: env.RETENTION_OUTBOX_DAYS,
      ledgerDays: env.RETENTION_LEDGER_DAYS,
      tokenRevocationMinutes: env.RETENTION_TOKEN_REVOCATION_MINUTES,
      webhookDeliveriesDays: env.RETENTION_WEBHOOK_DELIVERIES_DAYS,
      importsDays: env.RETENTION_IMPORTS_DAYS,
    },
    productImages: { maxBytes: env.PRODUCT_IMAGE_MAX_BYTES },
  };
  requireWhatTheRoleNeeds(config);
  return config;
}

/** True when no database URL is configured: `keel start` then runs its own PostgreSQL. */
export function usesEmbeddedDatabase(config: KeelConfig): boolean {
  const needsDatabase = runsCentral(config.role) || runsRegional(config.role);
  return needsDatabase && config.centralDatabase === undefined && config.regionalDatabase === undefined;
}

/** URLs, DSNs and credentials may carry secrets: the message shows their length, never the value. */
function describeValue(variable: string, value: string | undefined): string {
  if (value === undefined) return 'nothing';
  if (/_URL$|_DSN$|CREDENTIAL|SECRET|PASSWORD|TOKEN/.test(variable)) return `a value of ${value.length} characters, not shown`;
  return JSON.stringify(value);
}

function withoutEmptyValues(source: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

function databaseUrls(env: Environment, layer: 'CENTRAL' | 'REGIONAL'): DatabaseUrls | undefined {
  const owner = env[`${layer}_DATABASE_OWNER_URL`];
  const app = env[`${layer}_DATABASE_APP_URL`];
  const worker = env[`${layer}_DATABASE_WORKER_URL`];
  if (owner === undefined && app === undefined && worker === undefined) return undefined;
  const missing = [
    [`${layer}_DATABASE_OWNER_URL`, owner],
    [`${layer}_DATABASE_APP_URL`, app],
    [`${layer}_DATABASE_WORKER_URL`, worker],
  ].find(([, value]) => value === undefined);
  if (missing) throw new ConfigError(`Invalid configuration: ${missing[0]} is required when any ${layer}_DATABASE_*_URL is set`);
  return { owner: owner!, app: app!, worker: worker! };
}

function realtimeAdapter(env: Environment): RealtimeAdapterConfig {
  if (env.REALTIME_ADAPTER !== 'redis') return { kind: env.REALTIME_ADAPTER };
  if (env.REDIS_URL === undefined) throw new ConfigError('Invalid configuration: REDIS_URL is required with REALTIME_ADAPTER=redis');
  return { kind: 'redis', url: env.REDIS_URL };
}

function parseRegionUrls(value: string | undefined): Map<string, string> {
  const urls = new Map<string, string>();
  for (const pair of value?.split(',') ?? []) {
    const [region, url] = pair.split(/=(.*)/s) as [string, string];
    urls.set(region, url);
  }
  return urls;
}

function requireWhatTheRoleNeeds(config: KeelConfig): void {
  const need = (condition: boolean, variable: string, why: string) => {
    if (!condition) throw new ConfigError(`Invalid configuration: ${variable} is required ${why}`);
  };
  const alone = `with KEEL_ROLE=${config.role}`;
  if (config.env === 'production' && config.seedDemoData) {
    throw new ConfigError('Invalid configuration: KEEL_SEED must not be true with NODE_ENV=production (the demo accounts have a published password)');
  }
  // Webhooks (H4): private targets would let a tenant reach the region's own network (SSRF).
  if (config.env === 'production' && config.webhooks.allowPrivateTargets) {
    throw new ConfigError('Invalid configuration: WEBHOOK_ALLOW_PRIVATE_TARGETS must not be true with NODE_ENV=production (tenants could reach private addresses)');
  }
  if (config.role === 'regional') need(config.centralJwksUrl !== undefined, 'CENTRAL_JWKS_URL', alone);
  if (config.role === 'edge') need(config.centralUrl !== undefined, 'CENTRAL_URL', alone);
  if (config.role === 'edge') need(config.regionUrls.size > 0, 'KEEL_REGION_URLS', alone);
  if (config.role === 'regional') need(config.centralUrl !== undefined || config.feed.driver === 'sns', 'CENTRAL_URL', `${alone} and FEED_DRIVER=http`);
  if (config.role === 'regional') need(config.feed.regionCredential !== undefined || config.feed.driver === 'sns', 'KEEL_REGION_CREDENTIAL', `${alone} and FEED_DRIVER=http`);
  // With a credential the region reports usage to central, whatever the feed driver.
  if (config.role === 'regional') need(config.centralUrl !== undefined || config.feed.regionCredential === undefined, 'CENTRAL_URL', `${alone} and KEEL_REGION_CREDENTIAL (usage reports)`);
  // SQS delays a message by at most 15 minutes.
  if (config.queue.driver === 'sqs' && config.queue.retryMaxDelayMs > 900_000) {
    throw new ConfigError('Invalid configuration: RETRY_MAX_DELAY_MS must be at most 900000 with QUEUE_DRIVER=sqs (SQS delays a message by 15 minutes at most)');
  }
  if (config.storage.driver === 's3' && runsRegional(config.role)) need(config.storage.s3.bucket !== undefined, 'S3_BUCKET', `with STORAGE_DRIVER=s3 and KEEL_ROLE=${config.role}`);
  // Retention (H5): a retried message comes back with its event id; the ledger must still hold it (RET-004),
  // whether the consumer runtime retries it or, with its own policy, the webhook delivery does.
  for (const [retries, spanMs] of [
    ['MESSAGE_MAX_ATTEMPTS × RETRY_MAX_DELAY_MS', config.queue.maxAttempts * config.queue.retryMaxDelayMs],
    ['WEBHOOK_MAX_ATTEMPTS × WEBHOOK_RETRY_MAX_DELAY_MS', config.webhooks.retry.maxAttempts * config.webhooks.retry.maxDelayMs],
  ] as const) {
    if (config.retention.ledgerDays * 86_400_000 <= spanMs) throw new ConfigError(`Invalid configuration: RETENTION_LEDGER_DAYS must outlast every retry (${retries})`);
  }
  if (config.feed.driver === 'sns') need(config.feed.sns.topicArn !== undefined, 'SNS_TOPIC_ARN', 'with FEED_DRIVER=sns');
  // Outside production a missing secret is made up per start (sessions then end with the process).
  if (config.env === 'production' && runsCentral(config.role)) need(config.authSecret !== undefined, 'AUTH_SECRET', `${alone} and NODE_ENV=production`);
  if (config.env === 'production' && runsCentral(config.role)) need(config.publicUrl !== undefined, 'PUBLIC_URL', `${alone} and NODE_ENV=production`);
  // Webhooks (H4): endpoint secrets are sealed with this key; one made up per start would lose them.
  if (config.env === 'production' && runsRegional(config.role)) need(config.webhooks.secretKey !== undefined, 'WEBHOOK_SECRET_KEY', `${alone} and NODE_ENV=production`);
  // Upload URLs signed by one instance are checked by whichever instance receives the upload.
  if (config.env === 'production' && runsRegional(config.role) && config.storage.driver === 'local') {
    need(config.storage.signingSecret !== undefined, 'STORAGE_SIGNING_SECRET', `${alone}, STORAGE_DRIVER=local and NODE_ENV=production`);
  }
  // Central's topic delivers to the region's SQS queue; pg-boss cannot subscribe to SNS.
  if (config.feed.driver === 'sns' && runsRegional(config.role) && config.queue.driver !== 'sqs') {
    throw new ConfigError(`Invalid configuration: QUEUE_DRIVER must be sqs with FEED_DRIVER=sns and KEEL_ROLE=${config.role} (SNS delivers central's events to the region's SQS queue)`);
  }
  if (usesEmbeddedDatabase(config)) return;
  const external = `${alone} and external databases`;
  if (runsCentral(config.role)) need(config.centralDatabase !== undefined, 'CENTRAL_DATABASE_OWNER_URL', external);
  if (runsRegional(config.role)) need(config.regionalDatabase !== undefined, 'REGIONAL_DATABASE_OWNER_URL', external);
}
