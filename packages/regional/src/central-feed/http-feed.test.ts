import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToFeed, type CentralEvent } from '@keel/central';
import { createDatabase, createLogger, createPool, randomSecret, type Database } from '@keel/kernel';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { countedEvent, countingProbe, createProbeEffects, effectCounts, hasPlan, tenantCreatedEvent, tenantPlanEvent, tenantRow } from '../../../../test/support/central-feed-probe.ts';
import { regionalConsumers } from '../consumers.ts';
import { CENTRAL_EVENTS_QUEUE } from './central-events-queue.ts';

/**
 * Central and the region `local` in one Keel, the region pulling central's feed over HTTP. Besides
 * the region's own consumers, a probe on the central-events queue records each application of a
 * `test.counted` event as a row of `probe_effects` (no unique constraint: only the ledger keeps an
 * event's effect single).
 */
const credential = randomSecret() + randomSecret();
let keel: TestKeel;
let central: Database;
let centralPool: pg.Pool;
let regionalOwner: pg.Client;

beforeAll(async () => {
  keel = await startTestKeel({ KEEL_REGION_CREDENTIAL: credential, FEED_LONG_POLL_MS: '2000' }, { consumers: [...regionalConsumers, countingProbe] });
  centralPool = createPool(keel.databases.central.app, { applicationName: 'test-central', logger: createLogger({ level: 'silent' }) });
  central = createDatabase(centralPool);
  regionalOwner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await regionalOwner.connect();
  await createProbeEffects(regionalOwner);
});

afterAll(async () => {
  await regionalOwner?.end();
  await centralPool?.end();
  await keel?.stop();
});

describe('MSG-011 central appends its events in the transaction of the change', () => {
  it('MSG-011 keeps no event of a transaction that rolled back', async () => {
    const type = `test.rolled-back.${randomUUID()}`;
    await expect(
      central.transaction(async (tx) => {
        await appendToFeed(tx, [{ type, tenantId: null, region: null, payload: {} }]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await feed()).events.filter((event) => event.envelope.type === type)).toEqual([]);
  });

  it('MSG-011 serves the event of a committed transaction, with its id, type, tenant and payload', async () => {
    const tenantId = randomUUID();
    const [eventId] = await append({ type: 'test.committed', tenantId, region: 'local', payload: { answer: 42 } });
    const served = (await feed()).events.find((event) => event.envelope.eventId === eventId);
    expect(served?.envelope).toMatchObject({ eventId, type: 'test.committed', tenantId, payload: { answer: 42 }, attempt: 1 });
  });
});

describe('MSG-013 the feed serves a region with its credential only its own events', () => {
  it.each([
    ['no credential', {}, 'local'],
    ['a wrong credential', { authorization: `Bearer ${randomSecret()}` }, 'local'],
    ["local's credential for another region", { authorization: `Bearer ${credential}` }, 'eu-west'],
  ])('MSG-013 refuses %s with 401 REGION_CREDENTIAL_INVALID', async (_case, headers: Record<string, string>, region) => {
    const response = await fetch(`${keel.url}/api/central/feed?region=${region}`, { headers });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'REGION_CREDENTIAL_INVALID' });
  });

  it("MSG-013 serves local's events and everyone's, never another region's", async () => {
    const [forLocal] = await append({ type: 'test.routed', tenantId: randomUUID(), region: 'local', payload: {} });
    const [forEveryone] = await append({ type: 'test.routed', tenantId: null, region: null, payload: {} });
    const [forEuWest] = await append({ type: 'test.routed', tenantId: randomUUID(), region: 'eu-west', payload: {} });
    const served = (await feed()).events.map((event) => event.envelope.eventId);
    expect(served).toEqual(expect.arrayContaining([forLocal, forEveryone]));
    expect(served).not.toContain(forEuWest);
  });

  it('MSG-013 answers a long poll as soon as an event is appended', async () => {
    const { next } = await feed();
    const answer = feed({ after: next, waitMs: 20_000 });
    const [eventId] = await append({ type: 'test.long-polled', tenantId: null, region: null, payload: {} });
    expect((await answer).events.map((event) => event.envelope.eventId)).toEqual([eventId]);
  });
});

describe('MSG-012 the region applies its tenants’ events from central, once, from its own cursor', () => {
  const homedHere = randomUUID();
  const homedElsewhere = randomUUID();

  it('MSG-012 provisions a tenant homed in this region, and not one homed elsewhere', async () => {
    await append(tenantCreatedEvent(homedElsewhere, 'eu-west'));
    await append(tenantCreatedEvent(homedHere, 'local'), tenantPlanEvent(homedHere, 'local'));
    await waitUntil(async () => (await tenantRow(regionalOwner, homedHere)) !== undefined && (await hasPlan(regionalOwner, homedHere)));
    expect(await tenantRow(regionalOwner, homedHere)).toEqual({ name: `Tenant ${homedHere.slice(0, 4)}`, currency: 'EUR', timezone: 'Europe/Madrid' });
    // The region reads in order, so by now it has passed the event of the other region's tenant.
    expect(await tenantRow(regionalOwner, homedElsewhere)).toBeUndefined();
  });

  it('MSG-012 lets the provisioned tenant write through the API at once', async () => {
    const response = await keel.app.inject({ method: 'POST', url: '/api/v1/stores', headers: await keel.authorization(homedHere, { role: 'admin' }), payload: { name: 'First' } });
    expect(response.statusCode).toBe(201);
  });

  it('MSG-012 applies nothing twice when the feed is read again from the start', async () => {
    const earlier = await append(countedEvent(homedHere, 'local'), countedEvent(homedHere, 'local'), countedEvent(homedHere, 'local'));
    const last = (await feed()).next;
    await waitUntil(async () => (await cursorPosition()) >= last && (await effectCounts(regionalOwner, homedHere, earlier)).every((count) => count > 0));

    await worker((client) => client.query(`update feed_cursors set position = 0 where feed = 'central'`));
    // Only the subscription moves the cursor, once it has forwarded a page: back at `last`, it has
    // sent every event up to there to the queue again.
    await waitUntil(async () => (await cursorPosition()) >= last);
    const [marker] = await append(countedEvent(homedHere, 'local'));
    await waitUntil(async () => (await effectCounts(regionalOwner, homedHere, [marker!]))[0] === 1);
    await waitUntil(async () => (await centralEventsDepth(homedHere)) === 0);

    expect(await effectCounts(regionalOwner, homedHere, earlier)).toEqual([1, 1, 1]);
  });
});

async function append(...events: CentralEvent[]): Promise<string[]> {
  return central.transaction((tx) => appendToFeed(tx, events));
}

async function feed(query: { after?: number; waitMs?: number } = {}) {
  const url = new URL('/api/central/feed', keel.url);
  url.search = new URLSearchParams({ region: 'local', after: String(query.after ?? 0), waitMs: String(query.waitMs ?? 0), limit: '500' }).toString();
  const response = await fetch(url, { headers: { authorization: `Bearer ${credential}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as { events: { position: number; envelope: { eventId: string; type: string } }[]; next: number };
}

/** Messages of the central-events queue waiting or being handled, as the operations view shows them. */
async function centralEventsDepth(tenantId: string): Promise<number> {
  const response = await keel.app.inject({ method: 'GET', url: '/api/v1/ops/queues', headers: await keel.authorization(tenantId, { role: 'admin' }) });
  expect(response.statusCode).toBe(200);
  return (response.json() as { queues: { queue: string; depth: number }[] }).queues.find((queue) => queue.queue === CENTRAL_EVENTS_QUEUE)!.depth;
}

async function cursorPosition(): Promise<number> {
  const { rows } = await worker((client) => client.query<{ position: string }>(`select position from feed_cursors where feed = 'central'`));
  return Number(rows[0]?.position ?? 0);
}

async function worker<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: keel.databases.regional.worker });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
