import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createLogger, createPool, type Database } from '@keel/kernel';
import pg from 'pg';
import { createCapturingLogger } from '../../../../test/support/capture.ts';
import { centralClient, type CentralClient } from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { DEMO_PASSWORD, DemoAccountTakenError, seedDemoData } from './seed-demo-data.ts';

/** `keel start`'s demo data, as a start with KEEL_SEED left on creates it. */
let keel: TestKeel;
let client: CentralClient;
let centralPool: pg.Pool;
let central: Database;

beforeAll(async () => {
  keel = await startTestKeel({ KEEL_SEED: 'true', CENTRAL_JWKS_URL: '' });
  client = centralClient(keel);
  centralPool = createPool(keel.databases.central.app, { applicationName: 'test-seed', logger: createLogger({ level: 'silent' }) });
  central = createDatabase(centralPool);
});

afterAll(async () => {
  await centralPool?.end();
  await keel?.stop();
});

describe('PLT-016 demo data on start', () => {
  it.each([
    { email: 'owner@acme.test', organization: 'Acme Retail', role: 'owner', currency: 'USD', timezone: 'America/New_York' },
    { email: 'admin@acme.test', organization: 'Acme Retail', role: 'admin', currency: 'USD', timezone: 'America/New_York' },
    { email: 'clerk@acme.test', organization: 'Acme Retail', role: 'member', currency: 'USD', timezone: 'America/New_York' },
    { email: 'owner@globex.test', organization: 'Globex', role: 'owner', currency: 'EUR', timezone: 'Europe/Madrid' },
  ])('PLT-016 $email signs in with the demo password and is $role of $organization', async ({ email, organization, role, currency, timezone }) => {
    const user = await client.signIn(email, DEMO_PASSWORD);
    const [only, ...others] = await client.myOrganizations(user.cookie);
    expect(others).toEqual([]);
    expect(only).toMatchObject({ name: organization, role, currency, timezone });
    const session = (await (await fetch(`${keel.url}/api/auth/get-session`, { headers: { cookie: user.cookie } })).json()) as { user: { emailVerified: boolean } };
    expect(session.user.emailVerified).toBe(true);
  });

  it('PLT-016 the demo organizations reach their region: Acme\'s owner creates a store there', async () => {
    const owner = await client.signIn('owner@acme.test', DEMO_PASSWORD);
    const [acme] = await client.myOrganizations(owner.cookie);
    const token = await client.token(owner, acme!.id);
    await client.createStoreOnceProvisioned(token, 'Demo flagship');
    expect(await client.storeNames(token)).toContain('Demo flagship');
  });

  it.each([
    { email: 'owner@acme.test', stores: ['Airport', 'Downtown', 'Harbor Front'], products: 40, reviews: 120, orders: 500, statuses: 8 },
    { email: 'owner@globex.test', stores: ['Downtown'], products: 6, reviews: 5, orders: 12, statuses: 2 },
  ])('PLT-017 $email finds the sample data in the region: stores $stores, $products products, $orders orders in at least $statuses statuses, $reviews reviews', async ({ email, stores, products, reviews, orders, statuses }) => {
    const owner = await client.signIn(email, DEMO_PASSWORD);
    const [organization] = await client.myOrganizations(owner.cookie);
    const token = await client.token(owner, organization!.id);
    let listed: { name: string; reviewCount: number }[] = [];
    await waitUntil(async () => {
      const response = await client.api(token, 'GET', '/stores');
      listed = response.status === 200 ? ((await response.json()) as { items: typeof listed }).items : [];
      return stores.every((name) => listed.some((store) => store.name === name));
    });
    const sample = listed.filter((store) => stores.includes(store.name));
    expect(sample.map((store) => store.name).toSorted()).toEqual(stores);
    expect(sample.reduce((sum, store) => sum + store.reviewCount, 0)).toBe(reviews);
    const catalogue = (await (await client.api(token, 'GET', '/products?limit=200')).json()) as { items: unknown[] };
    expect(catalogue.items).toHaveLength(products);
    const sampleOrders = await allOrders(token);
    expect(sampleOrders.map((order) => order.number).toSorted((a, b) => a - b)).toEqual(Array.from({ length: orders }, (_, index) => index + 1));
    expect(new Set(sampleOrders.map((order) => order.status)).size).toBeGreaterThanOrEqual(statuses);
  });

  it('PLT-016 logs the sign-in details once, and seeding again (twice at once) creates and logs nothing', async () => {
    expect(seedLogLines()).toHaveLength(1);
    expect(seedLogLines()[0]).toMatchObject({ demoAccounts: ['owner@acme.test', 'admin@acme.test', 'clerk@acme.test', 'owner@globex.test'] });
    const auth = () => {
      throw new Error('seeding again must not make accounts');
    };
    const again = createCapturingLogger();
    await Promise.all([1, 2].map(() => seedDemoData({ database: central, auth, homeRegion: 'local', clock: keel.clock, logger: again.logger })));
    expect(again.logs.filter((line) => 'demoAccounts' in line)).toEqual([]);
    const { rows } = await centralPool.query<{ count: number }>(`select count(*)::int as count from organizations where slug in ('acme', 'globex')`);
    expect(rows[0]!.count).toBe(2);
  });
});

async function allOrders(token: string): Promise<{ number: number; status: string }[]> {
  const orders: { number: number; status: string }[] = [];
  let cursor: string | null = null;
  do {
    const response = await client.api(token, 'GET', `/orders?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    const page = (await response.json()) as { items: typeof orders; nextCursor: string | null };
    orders.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return orders;
}

describe('PLT-016 the seed never adopts an account it did not make', () => {
  it('PLT-016 a demo email someone registered with another password stops the seed, which creates nothing', async () => {
    const other = await startTestKeel({ KEEL_SEED: 'false', CENTRAL_JWKS_URL: '' });
    const otherPool = createPool(other.databases.central.app, { applicationName: 'test-seed-taken', logger: createLogger({ level: 'silent' }) });
    try {
      await centralClient(other).signUp('owner@acme.test', 'not the demo password');
      const seeding = seedDemoData({ database: createDatabase(otherPool), auth: () => { throw new Error('no account may be made'); }, homeRegion: 'local', clock: other.clock, logger: createLogger({ level: 'silent' }) });
      await expect(seeding).rejects.toThrow(DemoAccountTakenError);
      const { rows } = await otherPool.query<{ count: number }>('select count(*)::int as count from organizations');
      expect(rows[0]!.count).toBe(0);
    } finally {
      await otherPool.end();
      await other.stop();
    }
  });
});

function seedLogLines(): Record<string, unknown>[] {
  return keel.logs.filter((line) => 'demoAccounts' in line);
}

