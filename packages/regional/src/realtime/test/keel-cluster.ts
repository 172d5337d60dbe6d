import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { haproxyConfig, redisServerArgs, type HaproxyConfigOptions } from '@keel/cli/cluster';
import { findFreePort, systemClock, type DatabaseUrls } from '@keel/kernel';
import { createTestDatabases, type TestDatabases } from '../../../../../test/support/databases.ts';
import { provisionTenantRow } from '../../../../../test/support/keel.ts';
import { spawnProcessGroup, type GroupProcess } from '../../../../../test/support/processes.ts';
import { waitUntil } from '../../../../../test/support/queue-driver-contract.ts';
import { startTestTokenIssuer, type TestTokenIssuer } from '../../../../../test/support/token-issuer.ts';

/**
 * Several regional Keel instances as processes (`keel start`, KEEL_ROLE=regional) on one test
 * database and one real-time adapter, HAProxy in front (the configuration `keel cluster` writes),
 * and redis-server when the adapter needs it. Tokens come from a test issuer whose JWKS the
 * instances fetch; central is not needed (its feed URL is a closed port, retried rarely).
 */
export interface KeelCluster {
  databases: TestDatabases;
  issuer: TestTokenIssuer;
  instances: RegionalInstance[];
  tenantId: string;
  /** A token of an admin of the tenant. */
  token(): Promise<string>;
  /** HAProxy in front of the instances with this real-time balancing; stopped with the cluster. */
  haproxy(realtime: HaproxyConfigOptions['realtime']): Promise<string>;
  /** The API through HAProxy or one instance (`baseUrl`), JSON in and out. */
  api(baseUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export interface RegionalInstance extends GroupProcess {
  name: string;
  url: string;
}

const LISTENING = '"msg":"Keel is listening"';

export async function startKeelCluster(options: { instances: number; adapter: 'postgres' | 'redis' }): Promise<KeelCluster> {
  const processes: GroupProcess[] = [];
  const scratch = await mkdtemp(path.join(tmpdir(), 'keel-cluster-'));
  const databases = await createTestDatabases();
  const issuer = await startTestTokenIssuer(systemClock);
  const stop = async () => {
    for (const child of processes.toReversed()) {
      child.kill();
      await child.closed;
    }
    await issuer.close();
    await databases.drop();
    await rm(scratch, { recursive: true, force: true });
  };
  try {
    const realtime: Record<string, string> = { REALTIME_ADAPTER: options.adapter };
    if (options.adapter === 'redis') {
      const port = await findFreePort();
      const redis = spawnProcessGroup('redis-server', redisServerArgs(port), { label: 'redis-server' });
      processes.push(redis);
      await redis.waitForLine('Ready to accept connections');
      realtime.REDIS_URL = `redis://127.0.0.1:${port}`;
    }
    const closedPort = await findFreePort();
    const instances = await Promise.all(
      Array.from({ length: options.instances }, async (_, index) => {
        const port = await findFreePort();
        const child = spawnProcessGroup(process.execPath, ['packages/cli/src/main.ts', 'start'], {
          label: `regional-${index + 1}`,
          env: {
            NODE_ENV: 'test',
            LOG_LEVEL: 'info',
            KEEL_ROLE: 'regional',
            KEEL_REGION: 'local',
            PORT: String(port),
            ...databaseEnvironment(databases.regional),
            CENTRAL_JWKS_URL: issuer.jwksUrl,
            CENTRAL_URL: `http://127.0.0.1:${closedPort}`,
            KEEL_REGION_CREDENTIAL: `region-credential-${randomUUID()}`,
            FEED_RETRY_DELAY_MS: '600000',
            USAGE_REPORT_INTERVAL_MS: '600000',
            OUTBOX_POLL_INTERVAL_MS: '100',
            // A message whose consumer was SIGKILLed goes back to the queue within a few seconds.
            QUEUE_VISIBILITY_TIMEOUT_MS: '3000',
            QUEUE_SUPERVISE_INTERVAL_MS: '500',
            RETRY_BASE_DELAY_MS: '50',
            ...realtime,
          },
        });
        processes.push(child);
        await child.waitForLine(LISTENING);
        return Object.assign(child, { name: `regional-${index + 1}`, url: `http://127.0.0.1:${port}` });
      }),
    );
    const tenantId = randomUUID();
    await provisionTenantRow(databases.regional.app, tenantId, 'Cluster tenant');
    const cluster: KeelCluster = {
      databases,
      issuer,
      instances,
      tenantId,
      token: () => issuer.sign({ tenantId, role: 'admin' }),
      async haproxy(balance) {
        const port = await findFreePort();
        const file = path.join(scratch, `haproxy-${port}.cfg`);
        await writeFile(file, haproxyConfig({ port, instances: instances.map(({ name, url }) => ({ name, port: Number(new URL(url).port) })), realtime: balance, healthCheckIntervalMs: 300 }));
        const haproxy = spawnProcessGroup('haproxy', ['-db', '-f', file], { label: 'haproxy' });
        processes.push(haproxy);
        let exited = false;
        void haproxy.closed.then(() => (exited = true));
        const url = `http://127.0.0.1:${port}`;
        // Ready once every instance answers through it (round-robin reaches each in turn).
        let healthy = 0;
        await waitUntil(async () => {
          if (exited) throw new Error(`haproxy exited: ${haproxy.stderr()}`);
          healthy = (await fetch(`${url}/health`).then((response) => response.ok, () => false)) ? healthy + 1 : 0;
          return healthy >= instances.length;
        });
        return url;
      },
      async api(baseUrl, method, apiPath, body) {
        const headers: Record<string, string> = { authorization: `Bearer ${await cluster.token()}` };
        if (body !== undefined) headers['content-type'] = 'application/json';
        const response = await fetch(`${baseUrl}/api/v1${apiPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await response.text();
        return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
      },
      stop,
    };
    return cluster;
  } catch (error) {
    await stop();
    throw error;
  }
}

function databaseEnvironment(urls: DatabaseUrls): Record<string, string> {
  return { REGIONAL_DATABASE_OWNER_URL: urls.owner, REGIONAL_DATABASE_APP_URL: urls.app, REGIONAL_DATABASE_WORKER_URL: urls.worker };
}
