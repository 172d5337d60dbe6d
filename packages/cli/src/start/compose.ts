import type { AddressInfo } from 'node:net';
import { createCentralLayer } from '@keel/central';
import { JWKS_PATH } from '@keel/central/contracts';
import { createEdgeLayer } from '@keel/edge';
import {
  createHttpApp,
  runsCentral,
  runsEdge,
  runsRegional,
  type Clock,
  type DatabaseUrls,
  type ErrorReporter,
  type HttpApp,
  type KeelConfig,
  type KeelLayer,
  type Logger,
} from '@keel/kernel';
import { createRegionalLayer } from '@keel/regional';

export interface ComposeOptions {
  config: KeelConfig;
  logger: Logger;
  reporter: ErrorReporter;
  clock: Clock;
  centralDatabase?: DatabaseUrls | undefined;
  regionalDatabase?: DatabaseUrls | undefined;
}

export interface ComposedKeel {
  app: HttpApp;
  /** Stops accepting, drains in-flight requests, closes pools, flushes error reports. */
  close(): Promise<void>;
}

/** The composition root: the layers `KEEL_ROLE` asks for, on one Fastify server. */
export async function composeKeel(options: ComposeOptions): Promise<ComposedKeel> {
  const { config, logger } = options;
  const layers: KeelLayer[] = [];
  let app: HttpApp | undefined;
  try {
    if (runsCentral(config.role)) {
      layers.push(await createCentralLayer({ database: required(options.centralDatabase, 'central'), regions: [config.region], logger }));
    }
    if (runsRegional(config.role)) {
      layers.push(
        await createRegionalLayer({
          database: required(options.regionalDatabase, 'regional'),
          region: config.region,
          // One process: central is this very server, whose port is known once it listens.
          centralJwksUrl: config.centralJwksUrl ?? (() => `http://127.0.0.1:${(app!.server.address() as AddressInfo).port}${JWKS_PATH}`),
          jwksCacheMaxAgeMs: config.jwksCacheMaxAgeMs,
          clock: options.clock,
          logger,
        }),
      );
    }
    if (runsEdge(config.role)) {
      const routing = config.role === 'edge' ? { centralUrl: config.centralUrl!, regionUrls: config.regionUrls } : undefined;
      layers.push(createEdgeLayer({ routing }));
    }
    app = createHttpApp({
      logger,
      reporter: options.reporter,
      bodyLimitBytes: config.bodyLimitBytes,
      exposeQueryCount: config.env !== 'production',
      queryRepeatWarnThreshold: config.queryRepeatWarnThreshold,
      healthChecks: layers.flatMap((layer) => (layer.healthCheck ? [() => layer.healthCheck!()] : [])),
    });
    for (const layer of layers) await layer.register(app);
    await app.ready();
  } catch (error) {
    await Promise.allSettled(layers.map((layer) => layer.close()));
    throw error;
  }
  const ready = app;
  return {
    app: ready,
    async close() {
      await ready.close();
      await Promise.allSettled(layers.map((layer) => layer.close()));
      await options.reporter.flush(2_000);
    },
  };
}

function required(urls: DatabaseUrls | undefined, layer: string): DatabaseUrls {
  if (!urls) throw new Error(`the ${layer} layer needs its database URLs`);
  return urls;
}
