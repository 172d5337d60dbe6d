import {
  createLogReporter,
  createLogger,
  createSentryReporter,
  loadConfig,
  systemClock,
  type ErrorReporter,
  type KeelConfig,
  type Logger,
} from '@keel/kernel';
import { migrateLayers, openDatabases } from '../db/databases.ts';
import { composeKeel } from './compose.ts';

/** `keel start`: databases (embedded unless configured), migrations, then the layers of KEEL_ROLE. */
export async function startCommand(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const reporter = createReporter(config, logger);
  const { databases, cluster } = await openDatabases(config, logger);
  let keel: Awaited<ReturnType<typeof composeKeel>>;
  try {
    await migrateLayers(databases);
    keel = await composeKeel({ config, logger, reporter, clock: systemClock, centralDatabase: databases.central, regionalDatabase: databases.regional });
    await keel.app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await cluster?.stop();
    throw error;
  }
  logger.info({ url: `http://${config.host}:${config.port}`, role: config.role, region: config.region }, 'Keel is listening');

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    try {
      await keel.close();
    } finally {
      await cluster?.stop();
    }
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

function createReporter(config: KeelConfig, logger: Logger): ErrorReporter {
  return config.sentryDsn
    ? createSentryReporter({ dsn: config.sentryDsn, environment: config.env, logger })
    : createLogReporter(logger);
}
