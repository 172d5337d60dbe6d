import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendToOutbox,
  createDatabase,
  createLogger,
  createPool,
  createWithTenant,
  MAX_PAYLOAD_BYTES,
  outbox,
  runWithContext,
  type Database,
  type OutgoingEvent,
  type TenantTransaction,
  type WithTenant,
} from '@keel/kernel';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';

/**
 * The outbox writer in a producer's tenant transaction on the app role, as the regional layer runs
 * it; what was written is read back through the worker role (the relay's view, across tenants).
 */
const logger = createLogger({ level: 'silent' });
let databases: TestDatabases;
let appPool: pg.Pool;
let workerPool: pg.Pool;
let withTenant: WithTenant;
let workerDatabase: Database;

beforeAll(async () => {
  databases = await createTestDatabases();
  appPool = createPool(databases.regional.app, { applicationName: 'keel-test-outbox-app', logger });
  workerPool = createPool(databases.regional.worker, { applicationName: 'keel-test-outbox-worker', logger });
  withTenant = createWithTenant(createDatabase(appPool));
  workerDatabase = createDatabase(workerPool);
});

afterAll(async () => {
  await Promise.all([appPool?.end(), workerPool?.end()]);
  await databases?.drop();
});

describe('MSG-004 events appended to the outbox commit or roll back with the transaction of the change', () => {
  it('MSG-004 leaves no outbox row when the transaction that appended it fails', async () => {
    const tenantId = randomUUID();
    const seenInside: unknown[] = [];
    await expect(
      inTenant(tenantId, async (tx, tenant) => {
        const [eventId] = await appendToOutbox(tx, tenant, [{ type: 'test.rolled-back', payload: { answer: 42 } }]);
        // Written, in this transaction: the rollback is what removes it.
        seenInside.push(...(await tx.select({ eventId: outbox.eventId }).from(outbox).where(eq(outbox.tenantId, tenant))).map((row) => row.eventId));
        expect(seenInside).toEqual([eventId]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(seenInside).toHaveLength(1);
    expect(await outboxRows(tenantId)).toEqual([]);
  });

  it('MSG-004 commits the appended events with the transaction: tenant, type, payload, target consumer, and the event ids it returned', async () => {
    const tenantId = randomUUID();
    const replayedId = randomUUID();
    const events: OutgoingEvent[] = [
      { type: 'test.committed', payload: { answer: 42, lines: [{ sku: 'A-1', quantity: 2 }], note: 'ünïcödé ✓' } },
      { type: 'test.replayed', payload: { again: true }, eventId: replayedId, consumer: 'only-this-consumer' },
    ];
    const eventIds = await inTenant(tenantId, (tx, tenant) => appendToOutbox(tx, tenant, events));
    expect(eventIds).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), replayedId]);
    expect(await outboxRows(tenantId)).toEqual([
      { tenantId, eventId: eventIds[0], type: 'test.committed', payload: events[0]!.payload, consumer: null, publishedAt: null },
      { tenantId, eventId: replayedId, type: 'test.replayed', payload: { again: true }, consumer: 'only-this-consumer', publishedAt: null },
    ]);
  });
});

describe('the outbox refuses, inside the producer’s transaction, a payload larger than the transport allows', () => {
  /** `{"text":"…"}` around a string of `length` times `character`. */
  const payloadOf = (character: string, length: number) => ({ text: character.repeat(length) });
  const wrapperBytes = Buffer.byteLength(JSON.stringify(payloadOf('', 0)));
  const overLimit = payloadOf('x', MAX_PAYLOAD_BYTES);
  // U+FFFF is 3 bytes in UTF-8 and travels to SQS as the 6-byte escape `\uffff`.
  const overLimitOnceEscaped = payloadOf('\uFFFF', Math.floor((MAX_PAYLOAD_BYTES - wrapperBytes) / 3));

  it.each([
    { what: 'over MAX_PAYLOAD_BYTES as JSON', oversized: overLimit, withinAsJson: false },
    { what: 'within MAX_PAYLOAD_BYTES as JSON but over it once its U+FFFF characters are escaped', oversized: overLimitOnceEscaped, withinAsJson: true },
  ])('refuses a payload $what with MESSAGE_TOO_LARGE and writes none of the batch', async ({ oversized, withinAsJson }) => {
    expect(Buffer.byteLength(JSON.stringify(oversized)) <= MAX_PAYLOAD_BYTES).toBe(withinAsJson);
    expect(Buffer.byteLength(JSON.stringify(oversized).replaceAll('\uFFFF', '\\uffff'))).toBeGreaterThan(MAX_PAYLOAD_BYTES);
    const tenantId = randomUUID();
    await inTenant(tenantId, async (tx, tenant) => {
      const appending = appendToOutbox(tx, tenant, [
        { type: 'test.small', payload: { answer: 42 } },
        { type: 'test.oversized', payload: oversized },
      ]);
      await expect(appending).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
      // The transaction goes on and commits: the refusal wrote nothing to roll back.
    });
    expect(await outboxRows(tenantId)).toEqual([]);
  });

  it('accepts a payload of exactly MAX_PAYLOAD_BYTES', async () => {
    const tenantId = randomUUID();
    const payload = payloadOf('x', MAX_PAYLOAD_BYTES - wrapperBytes);
    expect(Buffer.byteLength(JSON.stringify(payload))).toBe(MAX_PAYLOAD_BYTES);
    const [eventId] = await inTenant(tenantId, (tx, tenant) => appendToOutbox(tx, tenant, [{ type: 'test.at-the-limit', payload }]));
    expect((await outboxRows(tenantId)).map((row) => row.eventId)).toEqual([eventId]);
  });
});

function inTenant<T>(tenantId: string, work: (tx: TenantTransaction, tenantId: string) => Promise<T>): Promise<T> {
  return runWithContext({ requestId: `outbox-${tenantId}`, tenantId }, () => withTenant(work));
}

/** The tenant's outbox rows in append order, as the relay sees them (worker role). */
async function outboxRows(tenantId: string) {
  return workerDatabase
    .select({ tenantId: outbox.tenantId, eventId: outbox.eventId, type: outbox.type, payload: outbox.payload, consumer: outbox.consumer, publishedAt: outbox.publishedAt })
    .from(outbox)
    .where(eq(outbox.tenantId, tenantId))
    .orderBy(asc(outbox.id));
}
