import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeConsumer, waitForDeadLetter } from '../../../../test/support/dead-letter-probe.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { asTenant } from '../../../../test/support/tenant-sql.ts';
import { regionalConsumers } from '../consumers.ts';

/**
 * Dead letters end to end: a store created through the API emits `store.created`; a probe consumer
 * that is "broken" exhausts its attempts and the event becomes a dead letter; admins inspect it,
 * "fix" the probe, replay it, and the effect happens once.
 */
const probe = { broken: true };

let keel: TestKeel;
let owner: pg.Client;
const tenantA = randomUUID();
const tenantB = randomUUID();

beforeAll(async () => {
  keel = await startTestKeel(
    { MESSAGE_MAX_ATTEMPTS: '2', RETRY_BASE_DELAY_MS: '10', OPS_LOG_INTERVAL_MS: '100' },
    { consumers: [...regionalConsumers, probeConsumer('probe', () => probe.broken), probeConsumer('bystander', () => false)] },
  );
  owner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await owner.connect();
  await owner.query(`create table probe_effects (tenant_id uuid not null, consumer text not null, event_id uuid not null)`);
  await owner.query(`select keel_isolate_tenant_table('probe_effects')`);
  await keel.provisionTenant(tenantA);
  await keel.provisionTenant(tenantB);
});

afterAll(async () => {
  await owner?.end();
  await keel?.stop();
});

describe('MSG-009 MSG-010 a dead letter, inspected, replayed once, and refused after', () => {
  let deadLetterId: string;
  let eventId: string;

  it('MSG-007 records the event as an open dead letter after MESSAGE_MAX_ATTEMPTS failed attempts', async () => {
    const store = await api('POST', '/api/v1/stores', tenantA, 'admin', { name: 'Dead letter source' });
    expect(store.statusCode).toBe(201);
    const deadLetter = await waitForDeadLetter(keel, tenantA);
    deadLetterId = deadLetter.id;
    eventId = deadLetter.eventId;
    expect(deadLetter).toMatchObject({ consumer: 'probe', type: 'store.created', attempts: 2, lastErrorCode: 'PROBE_BROKEN', status: 'open', version: 1 });
  });

  it('MSG-009 lets an admin inspect it, payload included', async () => {
    const detail = await api('GET', `/api/v1/dead-letters/${deadLetterId}`, tenantA, 'admin');
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ id: deadLetterId, eventId, payload: { name: 'Dead letter source', version: 1 } });
  });

  it('MSG-006 lets the other consumer of the event apply it anyway, once', async () => {
    expect(await effects('bystander', eventId)).toBe(1);
  });

  it('MSG-010 replays it after the fix: the probe applies it once, the bystander not again', async () => {
    probe.broken = false;
    const replayed = await api('POST', `/api/v1/dead-letters/${deadLetterId}/replay`, tenantA, 'admin');
    expect(replayed.statusCode).toBe(200);
    expect(replayed.json()).toMatchObject({ status: 'replayed', version: 2 });
    await waitUntil(async () => (await effects('probe', eventId)) === 1);
    expect(await ledgerRows(eventId)).toEqual([
      { consumer: 'bystander', count: 1 },
      { consumer: 'probe', count: 1 },
    ]);
    expect(await effects('bystander', eventId)).toBe(1);
  });

  it.each(['replay', 'discard'])('MSG-010 refuses to %s it again (409 DEAD_LETTER_NOT_OPEN) and changes nothing', async (action) => {
    const response = await api('POST', `/api/v1/dead-letters/${deadLetterId}/${action}`, tenantA, 'owner');
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'DEAD_LETTER_NOT_OPEN' });
    expect((await api('GET', `/api/v1/dead-letters/${deadLetterId}`, tenantA, 'admin').then((r) => r.json())).version).toBe(2);
    expect(await effects('probe', eventId)).toBe(1);
  });
});

describe('MSG-010 discarding a dead letter', () => {
  it('MSG-010 keeps it on record as discarded and delivers nothing, even once the consumer works again', async () => {
    probe.broken = true;
    await api('POST', '/api/v1/stores', tenantA, 'admin', { name: 'Discarded source' });
    const deadLetter = await waitForDeadLetter(keel, tenantA);
    const discarded = await api('POST', `/api/v1/dead-letters/${deadLetter.id}/discard`, tenantA, 'admin');
    expect(discarded.json()).toMatchObject({ status: 'discarded' });
    const listed = await api('GET', '/api/v1/dead-letters?status=discarded', tenantA, 'admin');
    expect(listed.json().items.map((item: { id: string }) => item.id)).toContain(deadLetter.id);

    // With the probe working, a delivery of the discarded event would now take effect. Once a later
    // event has, and the probes queue is empty, whatever was sent before has been consumed.
    probe.broken = false;
    const later = await api('POST', '/api/v1/stores', tenantA, 'admin', { name: 'After the discard' });
    expect(later.statusCode).toBe(201);
    await waitUntil(async () => (await effectsOfStore('probe', later.json().id)) === 1);
    await waitUntil(async () => (await queueDepth(tenantA, 'probes')) === 0);
    expect(await effects('probe', deadLetter.eventId)).toBe(0);
  });
});

describe('MSG-009 who may see dead letters', () => {
  let deadLetterOfA: string;
  beforeAll(async () => {
    const listed = await api('GET', '/api/v1/dead-letters', tenantA, 'admin');
    deadLetterOfA = listed.json().items[0].id;
  });

  it.each([
    ['GET', '/api/v1/dead-letters'],
    ['GET', '/api/v1/dead-letters/:id'],
    ['POST', '/api/v1/dead-letters/:id/replay'],
    ['POST', '/api/v1/dead-letters/:id/discard'],
  ] as const)('MSG-009 refuses a member: %s %s answers 403 FORBIDDEN_ROLE', async (method, path) => {
    const response = await api(method, path.replace(':id', deadLetterOfA), tenantA, 'member');
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'FORBIDDEN_ROLE' });
  });

  it.each([
    ['GET', '/api/v1/dead-letters/:id'],
    ['POST', '/api/v1/dead-letters/:id/replay'],
    ['POST', '/api/v1/dead-letters/:id/discard'],
  ] as const)("MSG-009 answers another tenant's admin 404 DEAD_LETTER_NOT_FOUND: %s %s", async (method, path) => {
    const response = await api(method, path.replace(':id', deadLetterOfA), tenantB, 'owner');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'DEAD_LETTER_NOT_FOUND' });
  });

  it("MSG-009 lists none of another tenant's dead letters", async () => {
    const listed = await api('GET', '/api/v1/dead-letters', tenantB, 'owner');
    expect(listed.json()).toEqual({ items: [], nextCursor: null });
  });
});

describe('MSG-014 the operations view', () => {
  it('MSG-014 shows an admin each queue and its dead-letter queue, the outbox lag and the open dead letters', async () => {
    const response = await api('GET', '/api/v1/ops/queues', tenantA, 'admin');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.queues.map((queue: { queue: string }) => queue.queue)).toEqual(['central-events', 'central-events-dlq', 'probes', 'probes-dlq']);
    for (const queue of body.queues) expect(queue.depth).toBeGreaterThanOrEqual(0);
    expect(body.outbox).toEqual({ pending: expect.any(Number), oldestPendingAgeMs: body.outbox.pending === 0 ? null : expect.any(Number) });
    const open = await api('GET', '/api/v1/dead-letters?status=open', tenantA, 'admin');
    expect(body.deadLetters).toEqual({ open: open.json().items.length });
  });

  it('MSG-014 refuses a member', async () => {
    expect((await api('GET', '/api/v1/ops/queues', tenantA, 'member')).statusCode).toBe(403);
  });

  it('MSG-014 logs the same figures periodically, open dead letters counted across tenants', async () => {
    probe.broken = true;
    for (const tenantId of [tenantA, tenantB]) {
      await api('POST', '/api/v1/stores', tenantId, 'admin', { name: 'Logged dead letter' });
      await waitForDeadLetter(keel, tenantId);
    }
    const openOfAll = await openDeadLettersOfAllTenants();
    const openPerTenant = await Promise.all([tenantA, tenantB].map(async (tenantId) => (await opsFigures(tenantId)).deadLetters.open));
    expect(openPerTenant.every((open) => open > 0)).toBe(true);
    expect(openPerTenant[0]! + openPerTenant[1]!).toBe(openOfAll);

    // Lines logged from now on; the first may have counted before the last dead letter committed.
    const from = keel.logs.length;
    const logged = () => keel.logs.slice(from).filter((line) => line.msg === 'messaging figures');
    await waitUntil(async () => logged().length >= 3);
    const queues = (await opsFigures(tenantA)).queues.map((queue: { queue: string }) => queue.queue);
    for (const line of logged().slice(1)) {
      expect(line).toMatchObject({ deadLetters: { open: openOfAll }, outbox: { pending: expect.any(Number) } });
      expect((line.queues as { queue: string }[]).map((queue) => queue.queue)).toEqual(queues);
    }
  });
});

async function api(method: 'GET' | 'POST', url: string, tenantId: string, role: 'owner' | 'admin' | 'member', payload?: unknown) {
  const headers = await keel.authorization(tenantId, { role });
  return keel.app.inject({ method, url, headers, payload: payload as object | undefined });
}

async function effects(consumer: string, eventId: string): Promise<number> {
  const { rows } = await asTenant(owner, tenantA, (client) =>
    client.query<{ count: number }>('select count(*)::int as count from probe_effects where consumer = $1 and event_id = $2', [consumer, eventId]),
  );
  return rows[0]!.count;
}

/** Effects of the `store.created` of a store (its event id is known only from the outbox). */
async function effectsOfStore(consumer: string, storeId: string): Promise<number> {
  const { rows } = await asTenant(owner, tenantA, (client) =>
    client.query<{ count: number }>(
      `select count(*)::int as count from probe_effects
        where consumer = $1 and event_id in (select event_id from outbox where type = 'store.created' and payload->>'storeId' = $2)`,
      [consumer, storeId],
    ),
  );
  return rows[0]!.count;
}

async function ledgerRows(eventId: string): Promise<{ consumer: string; count: number }[]> {
  const { rows } = await asTenant(owner, tenantA, (client) =>
    client.query<{ consumer: string; count: number }>(
      'select consumer, count(*)::int as count from processed_messages where event_id = $1 group by consumer order by consumer',
      [eventId],
    ),
  );
  return rows;
}

async function opsFigures(tenantId: string) {
  const response = await api('GET', '/api/v1/ops/queues', tenantId, 'admin');
  expect(response.statusCode).toBe(200);
  return response.json();
}

async function queueDepth(tenantId: string, queue: string): Promise<number> {
  return (await opsFigures(tenantId)).queues.find((figure: { queue: string }) => figure.queue === queue).depth;
}

/** The worker role reads every tenant's dead letters (its own policy), as the periodic log does. */
async function openDeadLettersOfAllTenants(): Promise<number> {
  const worker = new pg.Client({ connectionString: keel.databases.regional.worker });
  await worker.connect();
  try {
    const { rows } = await worker.query<{ count: number }>(`select count(*)::int as count from dead_letters where status = 'open'`);
    return rows[0]!.count;
  } finally {
    await worker.end();
  }
}
