import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, createDatabase, createLogger, createPool, findFreePort, type Clock, type ErrorReporter, type Logger } from '@keel/kernel';
import { createCapturingLogger, createCapturingReporter } from '../../../../test/support/capture.ts';
import { centralClient, type CentralClient, type Owner } from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { createUsageReporter, type UsageReporter } from './usage-reporter.ts';

/**
 * The region reports its tenants' usage to central, the real one: organizations are created through
 * central (which publishes their Free plan), their stores through the region, and central's
 * subscription endpoint shows what the region reported (SUB-004). Reporters made here run beside the
 * region's own, on clocks ahead of it, so that central keeps their figures (the latest measured).
 */
const CREDENTIAL = 'usage-reporter-test-credential-0123456789';

let keel: TestKeel;
let client: CentralClient;
let pools: pg.Pool[] = [];
/** Every organization of this file: the region's tenants. */
const owners: Owner[] = [];

beforeAll(async () => {
  keel = await startTestKeel({ CENTRAL_JWKS_URL: '', FEED_LONG_POLL_MS: '2000', USAGE_REPORT_INTERVAL_MS: '100', KEEL_REGION_CREDENTIAL: CREDENTIAL });
  client = centralClient(keel);
});

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  pools = [];
  await keel?.stop();
});

describe("SUB-040 the region reports its tenants' usage to central", () => {
  it("SUB-040 every USAGE_REPORT_INTERVAL_MS central receives each tenant's figures, measured by the region clock", async () => {
    const owner = await ownerWithStore();
    await waitUntil(async () => (await usageAtCentral(owner)).stores === 1);

    expect(await usageAtCentral(owner)).toMatchObject({ stores: 1, ordersPerMonth: 0, importRowsPerMonth: 0, webhookEndpoints: 0, measuredAt: keel.clock.now().toISOString() });
  });

  it('SUB-040 reports every tenant, a batch per request, page after page', async () => {
    for (let more = 0; more < 3; more += 1) await ownerWithStore();
    const clock = clockAhead(1);

    expect(await reporter({ clock, batchSize: 2 }).reportNow()).toBe(owners.length);
    for (const owner of owners) expect(await usageAtCentral(owner)).toMatchObject({ stores: 1, measuredAt: clock.now().toISOString() });
  });

  it('SUB-040 a report that fails is logged and reported once, and sent again at the next interval', async () => {
    const owner = await ownerWithStore();
    const clock = clockAhead(2);
    const down = `http://127.0.0.1:${await findFreePort()}`;
    let attempts = 0;
    const { logger, logs } = createCapturingLogger();
    const { reporter: errors, reported } = createCapturingReporter();
    const running = reporter({ clock, centralUrl: () => (++attempts <= 2 ? down : keel.url), intervalMs: 20, logger, errors });

    await running.start();
    await waitUntil(async () => logs.some((line) => line.msg === 'usage reports reach central again'));
    await running.stop();

    expect(logs.filter((line) => line.msg === 'usage report failed; retrying next interval')).toHaveLength(1);
    expect(reported).toHaveLength(1);
    // A refused connection is central's failure, not the database's.
    expect(reported[0]).toMatchObject({ code: 'CENTRAL_UNAVAILABLE' });
    expect(await usageAtCentral(owner)).toMatchObject({ stores: 1, measuredAt: clock.now().toISOString() });
  });
});

// ---------------------------------------------------------------------------------------------

/** A new organization (on Free, as central creates it) with one store made in the region. */
async function ownerWithStore(): Promise<Owner> {
  const owner = await client.newOwner();
  await client.createStoreOnceProvisioned(await client.token(owner, owner.organization.id), 'The store');
  owners.push(owner);
  return owner;
}

/** The usage central shows the owner on the subscription (the region's figures from its last report). */
async function usageAtCentral(owner: Owner): Promise<Record<string, unknown>> {
  const response = await client.central('GET', `/organizations/${owner.organization.id}/subscription`, { cookie: owner.cookie });
  expect(response.status).toBe(200);
  return ((await response.json()) as { usage: Record<string, unknown> }).usage;
}

function clockAhead(hours: number): Clock {
  return new ManualClock(new Date(keel.clock.now().getTime() + hours * 3_600_000));
}

/** A usage reporter of the region's, on the region's databases, with the region's credential. */
function reporter(options: { clock: Clock; batchSize?: number; centralUrl?: () => string; intervalMs?: number; logger?: Logger; errors?: ErrorReporter }): UsageReporter {
  const silent = createLogger({ level: 'silent' });
  const pool = (url: string) => {
    const created = createPool(url, { applicationName: 'test-usage-reporter', logger: silent });
    pools.push(created);
    return createDatabase(created);
  };
  return createUsageReporter({
    centralUrl: options.centralUrl ?? keel.url,
    region: 'local',
    credential: CREDENTIAL,
    intervalMs: options.intervalMs ?? 3_600_000,
    appDatabase: pool(keel.databases.regional.app),
    workerDatabase: pool(keel.databases.regional.worker),
    clock: options.clock,
    logger: options.logger ?? silent,
    reporter: options.errors ?? createCapturingReporter().reporter,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  });
}
