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
} from '@keel/kernel';
import { createHttpFeedSubscription, type FeedSubscription } from './central-feed/http-feed-subscription.ts';
import { regionalConsumers } from './consumers.ts';
import { messagingFigures, queueFigures } from './ops/figures.ts';
import { createRequestVerdictCheck } from './auth/token-revocations.ts';
import { createUsageReporter, type UsageReporter } from './plans/usage-reporter.ts';
import { createRealtime } from './realtime/realtime-server.ts';
import { regionalApi } from './regional-api.ts';

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
  const realtime = createRealtime({ verifyAccessToken, verdictOf, withTenant, clock: options.clock, tokenCheckIntervalMs: options.realtimeTokenCheckIntervalMs ?? 5_000, logger, reporter });
  // The realtime fan-out is one of the region's own consumers; a test that gives its consumers runs exactly those.
  const consumers = options.consumers ?? [...regionalConsumers, ...realtime.consumers];
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
  let opsTimer: NodeJS.Timeout | undefined;
  let server: HttpApp['server'] | undefined;

  return {
    name: 'regional',
    async register(app: HttpApp) {
      server = app.server;
      await app.register(regionalApi({ withTenant, verdictOf, verifyAccessToken, driver, routes, queues, clock: options.clock }), { prefix: '/api/v1' });
    },
    async start() {
      // Consumers first: they create their queues, which the relay then publishes to.
      await runtime.start(consumers);
      await relay.start();
      await feed?.start();
      if (server) realtime.attach(server);
      if (usageReporter) await usageReporter.start();
      else logger.info('usage reports to central are off: the region has no credential (KEEL_REGION_CREDENTIAL)');
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
      await realtime.close();
      await usageReporter?.stop();
      await feed?.stop();
      await relay.stop();
      await runtime.stop();
    },
    async close() {
      await driver.close();
      await Promise.all([appPool.end(), workerPool.end()]);
    },
  };
}
