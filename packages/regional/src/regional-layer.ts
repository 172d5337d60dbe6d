import { fileURLToPath } from 'node:url';
import { createAccessTokenVerifier, type AccessTokenVerifier } from '@keel/central/contracts';
import {
  createConsumerRuntime,
  createDatabase,
  createOutboxRelay,
  createPool,
  createWithTenant,
  messageRoutes,
  ping,
  type Clock,
  type ConsumerDefinition,
  type DatabaseUrls,
  type ErrorReporter,
  type FeedConfig,
  type HttpApp,
  type KeelLayer,
  type Logger,
  type QueueConfig,
  type QueueDriver,
  type RealtimeAdapterConfig,
  type RealtimePresenceConfig,
  type RetentionConfig,
  type WebhookConfig,
  createStorage,
  type ImportsConfig,
  type StorageConfig,
} from '@keel/kernel';
import { createHttpFeedSubscription, type FeedSubscription } from './central-feed/http-feed-subscription.ts';
import { regionalConsumers } from './consumers.ts';
import { messagingFigures, queueFigures } from './ops/figures.ts';
import { createRequestVerdictCheck } from './auth/token-revocations.ts';
import { createUsageReporter, type UsageReporter } from './plans/usage-reporter.ts';
import { createRealtime } from './realtime/realtime-server.ts';
import { regionalApi } from './regional-api.ts';
import { createWebhooks } from './webhooks/webhooks.ts';
import { createRegionalRetention } from './retention/regional-retention.ts';
import { productImageConsumers } from './products/images/consumers.ts';
import { importFanOut } from './imports/import-fan-out.ts';
import { createImportWorker } from './imports/import-worker.ts';

export const regionalMigrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

export interface RegionalLayerOptions {
  database: DatabaseUrls;
  region: string;
  /** Central's base URL and JWKS URL; functions when they are known only after listening. */
  centralUrl: string | (() => string);
  centralJwksUrl: string | (() => string);
  jwksCacheMaxAgeMs: number;
  queue: QueueConfig;
  queueDriver: QueueDriver;
  feed: FeedConfig;
  opsLogIntervalMs: number;
  /** How often the region reports its tenants' usage to central (with the feed's credential). */
  usageReportIntervalMs: number;
  /** How often real-time sockets are checked for an expired token (default 5 s). */
  realtimeTokenCheckIntervalMs?: number;
  /** How real-time events reach every instance's sockets (default: in memory, one instance). */
  realtimeAdapter?: RealtimeAdapterConfig;
  /** Presence (H2): how long an entry outlives its socket's last heartbeat (default 30 s), and the sweep (5 s). */
  realtimePresence?: RealtimePresenceConfig;
  /** Retention (specs/retention.md): how often and after how long the region purges; no scheduled purge when absent. */
  retention?: RetentionConfig;
  /** Outbound webhooks (H4); `webhookFallbackKey`: key material when WEBHOOK_SECRET_KEY is unset (the embedded data's secret). */
  webhooks: WebhookConfig;
  webhookFallbackKey?: string | undefined;
  /** Uploads and CSV imports (H3): object storage, and the import worker's batch size and file limit. */
  storage: StorageConfig;
  imports: ImportsConfig;
  /** Product images (H5): the largest original accepted (PRODUCT_IMAGE_MAX_BYTES). */
  productImages: { maxBytes: number };
  /** The consumers this region runs; the region's own (with the realtime fan-out) unless a test gives its probes. */
  consumers?: readonly ConsumerDefinition<never>[];
  clock: Clock;
  random: () => number;
  logger: Logger;
  reporter: ErrorReporter;
}

/**
 * The data plane of one region: the API under `/api/v1`, Socket.IO under `/realtime`, and in the
 * background the outbox relay, the consumers, and the subscription to central's feed.
 */
export async function createRegionalLayer(options: RegionalLayerOptions): Promise<KeelLayer> {
  const { logger, reporter } = options;
  const driver = options.queueDriver;
  const appPool = createPool(options.database.app, { applicationName: 'keel-regional-app', logger });
  const workerPool = createPool(options.database.worker, { applicationName: 'keel-regional-worker', logger });
  const appDatabase = createDatabase(appPool);
  const withTenant = createWithTenant(appDatabase);
  const workerDatabase = createDatabase(workerPool);
  const verifyAccessToken: AccessTokenVerifier = createAccessTokenVerifier({
    jwksUrl: options.centralJwksUrl,
    region: options.region,
    clock: options.clock,
    cacheMaxAgeMs: options.jwksCacheMaxAgeMs,
  });
  const verdictOf = createRequestVerdictCheck(appDatabase);
  const realtime = createRealtime({ verifyAccessToken, verdictOf, withTenant, clock: options.clock, tokenCheckIntervalMs: options.realtimeTokenCheckIntervalMs ?? 5_000, adapter: options.realtimeAdapter ?? { kind: 'memory' }, workerUrl: options.database.worker, presence: options.realtimePresence ?? { ttlMs: 30_000, sweepIntervalMs: 5_000 }, workerDatabase, logger, reporter });
  // The realtime fan-out is one of the region's own consumers; a test that gives its consumers runs exactly those.
  const webhooks = createWebhooks({ config: options.webhooks, fallbackKeyMaterial: options.webhookFallbackKey, withTenant, clock: options.clock, logger });
  const storage = createStorage(options.storage, options.clock);
  const importConsumers = [createImportWorker({ storage, batchSize: options.imports.batchSize, maxBytes: options.imports.maxBytes, clock: options.clock }), importFanOut(realtime)];
  const { productImages } = options;
  const consumers = options.consumers ?? [...regionalConsumers, ...realtime.consumers, ...webhooks.consumers, ...importConsumers, ...productImageConsumers({ storage, maxBytes: productImages.maxBytes })];
  const routes = messageRoutes(consumers);
  const queues = [...new Set(consumers.map((consumer) => consumer.queue))];
  const relay = createOutboxRelay({ workerDatabase, workerUrl: options.database.worker, driver, routes, logger, reporter, pollIntervalMs: options.queue.outboxPollIntervalMs });
  const runtime = createConsumerRuntime({
    driver,
    withTenant,
    workerDatabase,
    retryPolicy: { maxAttempts: options.queue.maxAttempts, baseDelayMs: options.queue.retryBaseDelayMs, maxDelayMs: options.queue.retryMaxDelayMs },
    concurrency: options.queue.concurrency,
    visibilityTimeoutMs: options.queue.visibilityTimeoutMs,
    clock: options.clock,
    random: options.random,
    logger,
    reporter,
  });
  const feed: FeedSubscription | undefined =
    options.feed.driver === 'http' && options.feed.regionCredential !== undefined
      ? createHttpFeedSubscription({
          centralUrl: options.centralUrl,
          region: options.region,
          credential: options.feed.regionCredential,
          longPollMs: options.feed.longPollMs,
          retryDelayMs: options.feed.retryDelayMs,
          workerDatabase,
          driver,
          logger,
          reporter,
        })
      : undefined;
  // Usage reports go to central with the region's credential; without one (FEED_DRIVER=sns and no
  // KEEL_REGION_CREDENTIAL) central cannot tell who reports, and the region reports nothing.
  const usageReporter: UsageReporter | undefined =
    options.feed.regionCredential === undefined
      ? undefined
      : createUsageReporter({
          centralUrl: options.centralUrl,
          region: options.region,
          credential: options.feed.regionCredential,
          intervalMs: options.usageReportIntervalMs,
          appDatabase,
          workerDatabase,
          clock: options.clock,
          logger,
          reporter,
        });
  const retention = options.retention && createRegionalRetention({ retention: options.retention, workerDatabase, withTenant, storage, uploadTtlMs: options.storage.uploadTtlMs, clock: options.clock, logger, reporter });
  let opsTimer: NodeJS.Timeout | undefined;
  let server: HttpApp['server'] | undefined;

  return {
    name: 'regional',
    async register(app: HttpApp) {
      server = app.server;
      await app.register(regionalApi({ withTenant, verdictOf, verifyAccessToken, driver, routes, queues, clock: options.clock, webhooks, storage, importMaxBytes: options.imports.maxBytes, productImages }), { prefix: '/api/v1' });
    },
    async start() {
      // Consumers first: they create their queues, which the relay then publishes to.
      await runtime.start(consumers);
      await relay.start();
      await feed?.start();
      if (server) await realtime.attach(server);
      if (usageReporter) await usageReporter.start();
      else logger.info('usage reports to central are off: the region has no credential (KEEL_REGION_CREDENTIAL)');
      retention?.start();
      opsTimer = setInterval(() => {
        void Promise.all([queueFigures(driver, queues), messagingFigures(workerDatabase)])
          .then(([queueStats, figures]) => logger.info({ queues: queueStats, ...figures }, 'messaging figures'))
          .catch((error: unknown) => logger.warn({ err: error }, 'messaging figures unavailable'));
      }, options.opsLogIntervalMs);
      opsTimer.unref();
    },
    healthCheck: async () => {
      await Promise.all([ping(appPool), ping(workerPool)]);
    },
    async stop() {
      clearInterval(opsTimer);
      await retention?.stop();
      await realtime.close();
      await usageReporter?.stop();
      await feed?.stop();
      await relay.stop();
      await runtime.stop();
      webhooks.close();
    },
    async close() {
      await driver.close();
      await Promise.all([appPool.end(), workerPool.end()]);
    },
  };
}
