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

/**
 * `keel start`: databases (embedded unless configured), migrations, then the layers of KEEL_ROLE.
 * The embedded PostgreSQL runs in its own process group, so SIGINT/SIGTERM reach Keel alone: both
 * are handled from before it starts, and Keel drains requests before it stops PostgreSQL.
 */
export async function startCommand(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const reporter = createReporter(config, logger);
  const starting = startServing(config, logger, reporter);

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    // Repeated signals (a second Ctrl-C, npm forwarding one) must not kill Keel mid-drain.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    // A signal during start-up stops Keel once started; a failed start-up cleaned up after itself.
    const started = await starting.catch(() => undefined);
    if (!started) return;
    try {
      await started.keel.close();
    } finally {
      await started.cluster?.stop();
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  await starting;
  logger.info({ url: `http://${config.host}:${config.port}`, role: config.role, region: config.region }, 'Keel is listening');
}

async function startServing(config: KeelConfig, logger: Logger, reporter: ErrorReporter) {
  const { databases, cluster } = await openDatabases(config, logger, { ownProcessGroup: true });
  try {
    await migrateLayers(databases);
    const keel = await composeKeel({
      config,
      logger,
      reporter,
      clock: systemClock,
      centralDatabase: databases.central,
      regionalDatabase: databases.regional,
      authSecret: cluster?.secrets.authSecret,
    });
    await keel.app.listen({ host: config.host, port: config.port });
    await keel.start();
    return { keel, cluster };
  } catch (error) {
    await cluster?.stop();
    throw error;
  }
}

function createReporter(config: KeelConfig, logger: Logger): ErrorReporter {
  return config.sentryDsn
    ? createSentryReporter({ dsn: config.sentryDsn, environment: config.env, logger })
    : createLogReporter(logger);
}
