import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { composeKeel, type ComposedKeel } from '@keel/cli/compose';
import { ManualClock, createLogReporter, loadConfig, seededRandom, type AppError, type ConsumerDefinition, type ErrorReporter } from '@keel/kernel';
import { createCapturingLogger, createCapturingReporter } from './capture.ts';
import { createTestDatabases, type TestDatabases } from './databases.ts';
import { startTestTokenIssuer, type TestTokenIssuer } from './token-issuer.ts';

export interface TestKeel extends ComposedKeel {
  /** Where it listens: http://127.0.0.1:<port>. */
  url: string;
  databases: TestDatabases;
  issuer: TestTokenIssuer;
  clock: ManualClock;
  /** The local storage driver's directory (STORAGE_DIR), for tests that look at or place files. */
  storageDir: string;
  /** Log lines the app wrote, parsed. */
  logs: Record<string, unknown>[];
  /** Errors that went to the reporter. */
  reported: AppError[];
  /** Bearer header for a user of `tenantId`. */
  authorization(tenantId: string, options?: { role?: 'owner' | 'admin' | 'member' }): Promise<{ authorization: string }>;
  /** Inserts the region's tenant row and an unlimited plan, as central's `tenant.created` and `tenant.plan_changed` will. */
  provisionTenant(tenantId: string, name?: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keel composed in-process exactly as `keel start` composes it, on this file's own databases, with
 * a test token issuer standing in for central's tokens. Requests go through `app.inject`.
 */
export async function startTestKeel(env: Record<string, string> = {}, options: { consumers?: readonly ConsumerDefinition<never>[] } = {}): Promise<TestKeel> {
  const databases = await createTestDatabases();
  const clock = new ManualClock(new Date());
  const issuer = await startTestTokenIssuer(clock);
  // Uploaded files go to a directory of this Keel's own (never .data/), removed by stop().
  const storageDir = await mkdtemp(join(tmpdir(), 'keel-test-storage-'));
  const { logger, logs } = createCapturingLogger();
  const { reporter: capturing, reported } = createCapturingReporter();
  const logReporter = createLogReporter(logger);
  const reporter: ErrorReporter = { report: (error) => (capturing.report(error), logReporter.report(error)), flush: logReporter.flush };
  // Tests sign many accounts up from 127.0.0.1: the per-address limit is tested on its own (rate-limits.test.ts).
  const config = loadConfig({ NODE_ENV: 'test', KEEL_SEED: 'false', AUTH_RATE_LIMIT_PER_IP: '100000', CENTRAL_JWKS_URL: issuer.jwksUrl, RETRY_BASE_DELAY_MS: '20', OUTBOX_POLL_INTERVAL_MS: '200', STORAGE_DIR: storageDir, ...env });
  const keel = await composeKeel({ config, logger, reporter, clock, centralDatabase: databases.central, regionalDatabase: databases.regional, random: seededRandom(7), regionalConsumers: options.consumers });
  const url = await keel.app.listen({ host: '127.0.0.1', port: 0 });
  await keel.start();
  return {
    ...keel,
    url,
    databases,
    issuer,
    clock,
    storageDir: config.storage.directory,
    logs,
    reported,
    authorization: async (tenantId, options) => ({ authorization: `Bearer ${await issuer.sign({ tenantId, role: options?.role ?? 'member' })}` }),
    provisionTenant: (tenantId, name = `Tenant ${tenantId.slice(0, 8)}`) => provisionTenantRow(databases.regional.app, tenantId, name),
    stop: async () => {
      await keel.close();
      await issuer.close();
      await databases.drop();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}

export async function provisionTenantRow(appUrl: string, tenantId: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
    await client.query(`insert into tenants (tenant_id, name, currency, timezone) values ($1, $2, 'USD', 'America/New_York')`, [tenantId, name]);
    // As central publishes right after tenant.created: a plan, here unlimited, so that limits stay out of tests about other things.
    await client.query(`insert into tenant_plans (tenant_id, plan, limits, access, revision, changed_at) values ($1, 'platinum', $2, 'active', 1, now())`, [
      tenantId,
      JSON.stringify({ stores: null, members: null, ordersPerMonth: null, importRowsPerMonth: null, webhookEndpoints: null, apiKeys: null }),
    ]);
    await client.query('commit');
  } finally {
    await client.end();
  }
}
