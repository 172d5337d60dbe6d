import { fileURLToPath } from 'node:url';
import { DEFAULT_AUTH_RATE_LIMITS, createDatabase, createLogReporter, createPool, createSnsClient, ping, systemClock, type Clock, type DatabaseUrls, type ErrorReporter, type HttpApp, type KeelLayer, type Logger } from '@keel/kernel';
import { createAuth, type Auth } from './identity/auth.ts';
import { createAuthRateLimiter, type AuthRateLimits } from './identity/auth-rate-limiter.ts';
import { authRoutes } from './identity/routes.ts';
import { createFeedNotifier, type FeedNotifier } from './feed/feed-notifier.ts';
import { feedRoutes } from './feed/routes.ts';
import { createSnsFeedRelay, type SnsFeedRelay } from './feed/sns-feed-relay.ts';
import { createRegionRegistry } from './regions/region-registry.ts';
import { organizationRoutes } from './organizations/routes.ts';
import { regionRoutes } from './regions/routes.ts';
import { signingKeyRoutes } from './signing-keys/routes.ts';
import { createSigningKeyStore } from './signing-keys/signing-key-store.ts';
import { tokenRoutes } from './tokens/routes.ts';
import { memberRoutes } from './members/routes.ts';
import { apiKeyRoutes } from './api-keys/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { createLogMailer, type Mailer } from './email/mailer.ts';
import type { CentralDeps } from './central-deps.ts';
import { seedDemoData } from './demo/seed-demo-data.ts';
import { createDevelopmentPaymentProvider, type PaymentProvider } from './subscriptions/payments.ts';
import { createPeriodScheduler, createSubscriptionPeriods } from './subscriptions/period-scheduler.ts';
import { subscriptionRoutes } from './subscriptions/routes.ts';
import { createCentralRetention } from './retention/central-retention.ts';

export const centralMigrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

/** How regions receive central's feed. The HTTP feed is served either way. */
export type CentralFeedOptions =
  | { driver: 'http' }
  | {
      /** A relay (as central's worker role) also publishes every feed event to this SNS topic. */
      driver: 'sns';
      topicArn: string;
      /** An emulator's endpoint; AWS's own when undefined. */
      endpoint: string | undefined;
      awsRegion: string;
      /** The relay's fallback poll when an append notification is missed, and its pause after a failure. */
      pollIntervalMs: number;
    };

export interface CentralLayerOptions {
  /** The worker URL is used by the SNS feed relay only. */
  database: DatabaseUrls;
  /** Regions registered at start-up (one-process mode: the local one, with its feed credential); new organizations live in the first. */
  regions: readonly { id: string; credential?: string | undefined }[];
  /** Default: HTTP only. */
  feed?: CentralFeedOptions;
  /**
   * better-auth's secret (≥ 32 characters), where browsers reach Keel (read at the first
   * `/api/auth` request), and the sign-in limits (default: config's defaults).
   */
  auth: { secret: string; publicUrl: () => string; rateLimits?: AuthRateLimits };
  logger: Logger;
  /** Times access tokens; default: the system clock. */
  clock?: Clock;
  /** Default: the log. */
  reporter?: ErrorReporter;
  /** Sends invitations and account emails; default: the development mailer, which logs them. */
  mailer?: Mailer;
  /** Create the demo organizations and accounts at start when central has none of them (KEEL_SEED). */
  seedDemoData?: boolean;
  /**
   * Paid plans: the payment provider (default: the development provider, which logs its charges
   * and always succeeds) and how often period ends are processed (SUBSCRIPTION_PERIOD_INTERVAL_MS;
   * default 60000).
   */
  subscriptions?: { payments?: PaymentProvider; periodIntervalMs?: number };
  /** Retention (specs/retention.md): how often central purges, and rows per statement; no scheduled purge when absent. */
  retention?: { intervalMs: number; batchSize: number };
}

/** How often central processes subscription period ends when its options do not say. */
export const DEFAULT_SUBSCRIPTION_PERIOD_INTERVAL_MS = 60_000;

/** The control plane, served under `/api/central`, and better-auth's routes under `/api/auth`. */
export async function createCentralLayer(options: CentralLayerOptions): Promise<KeelLayer> {
  const appPool = createPool(options.database.app, { applicationName: 'keel-central-app', logger: options.logger });
  const database = createDatabase(appPool);
  const clock = options.clock ?? systemClock;
  const signingKeys = createSigningKeyStore(database, clock);
  const homeRegion = options.regions[0]?.id;
  if (homeRegion === undefined) throw new Error('central needs at least one region');
  const regions = createRegionRegistry(database);
  await signingKeys.ensureActiveKey();
  for (const region of options.regions) await regions.register(region.id, region.credential);
  const notifier = await createFeedNotifier(options.database.app, options.logger);
  const sns = options.feed?.driver === 'sns' ? createSnsRelay(options.feed, options, notifier) : undefined;
  // One process learns its own address only once it listens: better-auth is made on first use.
  let auth: Auth | undefined;
  const mailer = options.mailer ?? createLogMailer(options.logger);
  const reporter = options.reporter ?? createLogReporter(options.logger);
  const getAuth = () => (auth ??= createAuth({ database, secret: options.auth.secret, publicUrl: options.auth.publicUrl(), logger: options.logger, mailer, clock, reporter }));
  const limiter = createAuthRateLimiter(database, clock, options.auth.rateLimits);
  const payments = options.subscriptions?.payments ?? createDevelopmentPaymentProvider(options.logger);
  const deps: CentralDeps = { database, clock, signingKeys, mailer, limiter, homeRegion, logger: options.logger, auth: getAuth, publicUrl: options.auth.publicUrl, payments };
  const periodScheduler = createPeriodScheduler({
    periods: createSubscriptionPeriods({ database, clock, payments, logger: options.logger, reporter }),
    intervalMs: options.subscriptions?.periodIntervalMs ?? DEFAULT_SUBSCRIPTION_PERIOD_INTERVAL_MS,
    logger: options.logger,
    reporter,
  });
  const retention =
    options.retention &&
    createCentralRetention({ database, authRateLimits: options.auth.rateLimits ?? DEFAULT_AUTH_RATE_LIMITS, ...options.retention, clock, logger: options.logger, reporter });
  return {
    name: 'central',
    async register(app: HttpApp) {
      app.addHook('preClose', async () => notifier.releaseAll());
      await authRoutes(app, { auth: getAuth, publicUrl: options.auth.publicUrl, limiter });
      await app.register(
        async (central: HttpApp) => {
          signingKeyRoutes(central, { signingKeys });
          regionRoutes(central, { regions });
          feedRoutes(central, { database, regions, notifier });
          organizationRoutes(central, deps);
          tokenRoutes(central, deps);
          memberRoutes(central, deps);
          apiKeyRoutes(central, deps);
          auditRoutes(central, deps);
          subscriptionRoutes(central, { ...deps, regions });
        },
        { prefix: '/api/central' },
      );
    },
    async start() {
      if (options.seedDemoData === true) await seedDemoData({ database, auth: getAuth, homeRegion, clock, logger: options.logger, payments });
      await sns?.relay.start();
      periodScheduler.start();
      retention?.start();
    },
    async stop() {
      await periodScheduler.stop();
      await retention?.stop();
      await sns?.relay.stop();
    },
    healthCheck: () => ping(appPool),
    async close() {
      await notifier.close();
      sns?.close();
      await Promise.all([appPool.end(), sns?.workerPool.end()]);
    },
  };
}

/** FEED_DRIVER=sns: the relay on its own worker-role pool and SNS client, waking on the shared notifier. */
function createSnsRelay(feed: Extract<CentralFeedOptions, { driver: 'sns' }>, options: CentralLayerOptions, notifier: FeedNotifier) {
  const workerPool = createPool(options.database.worker, { applicationName: 'keel-central-sns-relay', logger: options.logger });
  const snsClient = createSnsClient({ endpoint: feed.endpoint, region: feed.awsRegion });
  const relay: SnsFeedRelay = createSnsFeedRelay({
    workerDatabase: createDatabase(workerPool),
    snsClient,
    topicArn: feed.topicArn,
    notifier,
    logger: options.logger,
    reporter: options.reporter ?? createLogReporter(options.logger),
    pollIntervalMs: feed.pollIntervalMs,
  });
  return { relay, workerPool, close: () => snsClient.destroy() };
}
