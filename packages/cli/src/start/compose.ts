import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createCentralLayer, type CentralFeedOptions } from '@keel/central';
import { JWKS_PATH } from '@keel/central/contracts';
import { createEdgeLayer } from '@keel/edge';
import {
  configureFailpoints,
  createHttpApp,
  createQueueDriver,
  randomSecret,
  registerApiReference,
  runsCentral,
  runsEdge,
  runsRegional,
  type Clock,
  type ConsumerDefinition,
  type DatabaseUrls,
  type ErrorReporter,
  type HttpApp,
  type KeelConfig,
  type KeelLayer,
  type Logger,
} from '@keel/kernel';
import { createRegionalLayer } from '@keel/regional';
import { keelApiReference } from './api-reference.ts';

export interface ComposeOptions {
  config: KeelConfig;
  logger: Logger;
  reporter: ErrorReporter;
  clock: Clock;
  centralDatabase?: DatabaseUrls | undefined;
  regionalDatabase?: DatabaseUrls | undefined;
  /** Jitter of retry delays; seeded in tests. */
  random?: () => number;
  /** The region's consumers (default: its own); tests add probe consumers. */
  regionalConsumers?: readonly ConsumerDefinition<never>[];
  /** Central's session secret when AUTH_SECRET is unset: the embedded data directory keeps one. */
  authSecret?: string | undefined;
}

export interface ComposedKeel {
  app: HttpApp;
  /** Starts the layers' background work (relay, consumers, feed); call once the server listens. */
  start(): Promise<void>;
  /** Stops background work, stops accepting and drains in-flight requests, closes pools, flushes error reports. */
  close(): Promise<void>;
}

/** The composition root: the layers `KEEL_ROLE` asks for, on one Fastify server. */
export async function composeKeel(options: ComposeOptions): Promise<ComposedKeel> {
  const { config, logger, reporter } = options;
  configureFailpoints(config.failpoints, config.env);
  const layers: KeelLayer[] = [];
  let app: HttpApp | undefined;
  // One process: central is this very server, whose address is known once it listens.
  const ownUrl = () => `http://127.0.0.1:${(app!.server.address() as AddressInfo).port}`;
  // One process: the region's feed credential is made up per start and registered with central.
  const regionCredential = config.feed.regionCredential ?? (config.role === 'all' ? randomSecret() : undefined);
  try {
    if (runsCentral(config.role)) {
      const database = required(options.centralDatabase, 'central');
      // Outside production (loadConfig requires it there), a missing secret is made up per start.
      const auth = { secret: config.authSecret ?? options.authSecret ?? randomBytes(32).toString('base64url'), publicUrl: () => config.publicUrl ?? ownUrl(), rateLimits: config.authRateLimits };
      layers.push(await createCentralLayer({ database, regions: [{ id: config.region, credential: regionCredential }], feed: centralFeed(config), clock: options.clock, auth, logger, reporter, seedDemoData: config.seedDemoData, subscriptions: { periodIntervalMs: config.subscriptionPeriodIntervalMs }, retention: { intervalMs: config.retention.intervalMs, batchSize: config.retention.batchSize } }));
    }
    if (runsRegional(config.role)) {
      const database = required(options.regionalDatabase, 'regional');
      const driver = await createQueueDriver(config.queue, { workerUrl: database.worker, logger });
      // The regional layer owns the driver once created (it closes it); until then, this does.
      const regional = await createRegionalLayer({
        database,
        region: config.region,
        centralUrl: config.centralUrl ?? ownUrl,
        centralJwksUrl: config.centralJwksUrl ?? (() => `${ownUrl()}${JWKS_PATH}`),
        jwksCacheMaxAgeMs: config.jwksCacheMaxAgeMs,
        queue: config.queue,
        queueDriver: driver,
        feed: { ...config.feed, regionCredential },
        opsLogIntervalMs: config.opsLogIntervalMs,
        usageReportIntervalMs: config.usageReportIntervalMs,
        realtimeTokenCheckIntervalMs: config.realtimeTokenCheckIntervalMs,
        webhooks: config.webhooks,
        webhookFallbackKey: options.authSecret ?? config.authSecret,
        realtimeAdapter: config.realtimeAdapter,
        realtimePresence: config.realtimePresence,
        retention: config.retention,
        // Uploads and CSV imports (H3).
        storage: config.storage,
        imports: config.imports,
        productImages: config.productImages,
        ...(options.regionalConsumers ? { consumers: options.regionalConsumers } : {}),
        clock: options.clock,
        random: options.random ?? Math.random,
        logger,
        reporter,
      }).catch(async (error: unknown) => {
        await driver.close();
        throw error;
      });
      layers.push(regional);
    }
    if (runsEdge(config.role)) {
      const routing = config.role === 'edge' ? { centralUrl: config.centralUrl!, regionUrls: config.regionUrls } : undefined;
      layers.push(createEdgeLayer({ routing }));
    }
    app = createHttpApp({
      logger,
      reporter,
      bodyLimitBytes: config.bodyLimitBytes,
      exposeQueryCount: config.env !== 'production',
      queryRepeatWarnThreshold: config.queryRepeatWarnThreshold,
      trustProxy: config.trustProxy,
      healthChecks: layers.flatMap((layer) => (layer.healthCheck ? [() => layer.healthCheck!()] : [])),
    });
    // Before the layers' routes: the API reference documents the routes registered after it.
    const apiReference = keelApiReference(config.role);
    if (apiReference) await registerApiReference(app, apiReference);
    for (const layer of layers) await layer.register(app);
    await app.ready();
  } catch (error) {
    await Promise.allSettled(layers.map((layer) => layer.close()));
    throw error;
  }
  const ready = app;
  return {
    app: ready,
    async start() {
      for (const layer of layers) await layer.start?.();
    },
    async close() {
      await Promise.allSettled(layers.map((layer) => layer.stop?.()));
      await ready.close();
      await Promise.allSettled(layers.map((layer) => layer.close()));
      await reporter.flush(2_000);
    },
  };
}

/** FEED_DRIVER=sns: central's worker relays the feed to the topic (loadConfig has checked SNS_TOPIC_ARN). */
function centralFeed(config: KeelConfig): CentralFeedOptions {
  const { topicArn } = config.feed.sns;
  if (config.feed.driver === 'http') return { driver: 'http' };
  if (topicArn === undefined) throw new Error('FEED_DRIVER=sns needs SNS_TOPIC_ARN');
  return {
    driver: 'sns',
    topicArn,
    endpoint: config.feed.sns.endpoint,
    awsRegion: config.queue.sqs.region,
    pollIntervalMs: config.queue.outboxPollIntervalMs,
  };
}

function required(urls: DatabaseUrls | undefined, layer: string): DatabaseUrls {
  if (!urls) throw new Error(`the ${layer} layer needs its database URLs`);
  return urls;
}
