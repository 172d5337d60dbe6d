import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ConfigError, createLogger, findFreePort, loadConfig, type DatabaseUrls } from '@keel/kernel';
import { migrateLayers, openDatabases } from '../db/databases.ts';
import { spawnClusterChild, type ClusterChild } from './child-process.ts';
import { haproxyConfig } from './haproxy-config.ts';
import { redisServerArgs } from './redis-server.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const LISTENING = '"msg":"Keel is listening"';
const ADAPTERS = ['redis', 'postgres'] as const;

/**
 * `keel cluster --instances 3 --adapter redis|postgres`: the embedded PostgreSQL and central once,
 * N regional instances sharing the database and a real-time adapter (a redis-server of its own for
 * `redis`), HAProxy in front of them (cookie stickiness on `/realtime`, health checks on `/health`),
 * and an edge serving the web app on PORT that routes to central and to HAProxy. Logs go to
 * `<KEEL_DATA_DIR>/cluster/`. Ctrl-C stops everything.
 */
export async function clusterCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { instances: { type: 'string', default: '3' }, adapter: { type: 'string', default: 'postgres' } } });
  const instances = Number(values.instances);
  const adapter = values.adapter as (typeof ADAPTERS)[number];
  if (!Number.isInteger(instances) || instances < 1 || instances > 16) throw new ConfigError('Invalid arguments: --instances must be a whole number from 1 to 16');
  if (!ADAPTERS.includes(adapter)) throw new ConfigError(`Invalid arguments: --adapter must be one of ${ADAPTERS.join(', ')}`);

  const config = loadConfig({ ...process.env, KEEL_ROLE: 'all' });
  const logger = createLogger({ level: config.logLevel });
  const logDir = path.resolve(config.dataDir, 'cluster');
  await mkdir(logDir, { recursive: true });
  const { databases, cluster } = await openDatabases(config, logger, { ownProcessGroup: true });
  const children: ClusterChild[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      // The front first, the database last: nothing is left talking to what is gone.
      for (const child of children.toReversed()) await child.stop(config.shutdownTimeoutMs);
      await cluster?.stop();
    })());
  const onSignal = () => {
    logger.info('stopping the cluster');
    void stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const start = async (name: string, command: string, commandArgs: readonly string[], env: Record<string, string>, readyText: string) => {
    const child = spawnClusterChild(name, command, commandArgs, env, path.join(logDir, `${name}.log`));
    children.push(child);
    await child.waitForOutput(readyText);
    return child;
  };
  try {
    await migrateLayers(databases);
    const credential = randomBytes(32).toString('base64url');
    const ports = { edge: config.port, central: await findFreePort(), haproxy: await findFreePort() };
    const url = (port: number) => `http://127.0.0.1:${port}`;
    const common = { KEEL_REGION: config.region, KEEL_REGION_CREDENTIAL: credential, HOST: '127.0.0.1', TRUST_PROXY: 'loopback' };
    // Every instance must read what another signed or sealed: upload URLs (the API is round-robin) and
    // webhook secrets (kept across restarts with the data directory's own secret, as `keel start` does).
    const sharedSecret = cluster?.secrets.authSecret ?? randomBytes(32).toString('base64url');
    const sharedSecrets = { AUTH_SECRET: sharedSecret, STORAGE_SIGNING_SECRET: createHash('sha256').update(`keel-storage-signing:${sharedSecret}`).digest('base64url') };

    let realtime: Record<string, string> = { REALTIME_ADAPTER: adapter };
    if (adapter === 'redis') {
      const redisPort = await findFreePort();
      await start('redis', 'redis-server', redisServerArgs(redisPort), {}, 'Ready to accept connections');
      realtime = { ...realtime, REDIS_URL: `redis://127.0.0.1:${redisPort}` };
    }
    await start('central', process.execPath, [MAIN, 'start'], {
      ...common,
      KEEL_ROLE: 'central',
      PORT: String(ports.central),
      PUBLIC_URL: url(ports.edge),
      AUTH_SECRET: sharedSecret,
      ...databaseEnvironment('CENTRAL', databases.central!),
    }, LISTENING);
    const regionalPorts = await Promise.all(Array.from({ length: instances }, () => findFreePort()));
    await Promise.all(
      regionalPorts.map((port, index) =>
        start(`regional-${index + 1}`, process.execPath, [MAIN, 'start'], {
          ...common,
          ...realtime,
          ...sharedSecrets,
          KEEL_ROLE: 'regional',
          PORT: String(port),
          CENTRAL_URL: url(ports.central),
          CENTRAL_JWKS_URL: `${url(ports.central)}/api/central/jwks.json`,
          ...databaseEnvironment('REGIONAL', databases.regional!),
        }, LISTENING),
      ),
    );
    const haproxyFile = path.join(logDir, 'haproxy.cfg');
    await writeFile(haproxyFile, haproxyConfig({ port: ports.haproxy, instances: regionalPorts.map((port, index) => ({ name: `regional-${index + 1}`, port })), realtime: 'sticky' }));
    const haproxy = await start('haproxy', 'haproxy', ['-db', '-f', haproxyFile], {}, '');
    await waitForHealth(url(ports.haproxy), haproxy);
    await start('edge', process.execPath, [MAIN, 'start'], {
      ...common,
      KEEL_ROLE: 'edge',
      PORT: String(ports.edge),
      CENTRAL_URL: url(ports.central),
      KEEL_REGION_URLS: `${config.region}=${url(ports.haproxy)}`,
    }, LISTENING);
    console.log(
      [
        `Keel is running: ${url(ports.edge)}`,
        `  ${instances} regional instances (REALTIME_ADAPTER=${adapter}) behind HAProxy at ${url(ports.haproxy)}, central at ${url(ports.central)}`,
        `  logs and haproxy.cfg in ${logDir}; Ctrl-C stops everything`,
      ].join('\n'),
    );
    await Promise.race(children.map((child) => child.exited.then(() => child.name)))
      .then((name) => {
        if (!stopping) throw new Error(`${name} stopped; see ${path.join(logDir, `${name}.log`)}`);
      });
    return 0;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** HAProxy says nothing once it is ready: it is, when an instance answers `/health` through it. */
async function waitForHealth(url: string, haproxy: ClusterChild): Promise<void> {
  let exited = false;
  void haproxy.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error('haproxy exited; see its log');
    const healthy = await fetch(`${url}/health`).then((response) => response.ok, () => false);
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function databaseEnvironment(layer: 'CENTRAL' | 'REGIONAL', urls: DatabaseUrls): Record<string, string> {
  return { [`${layer}_DATABASE_OWNER_URL`]: urls.owner, [`${layer}_DATABASE_APP_URL`]: urls.app, [`${layer}_DATABASE_WORKER_URL`]: urls.worker };
}
