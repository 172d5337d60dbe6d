import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralSql } from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { asTenant } from '../../../../test/support/tenant-sql.ts';

/** Keel composed as `keel start` composes it: both layers run their retention job on a short interval. */

const DAY = 86_400_000;
let keel: TestKeel;
const tenantId = randomUUID();

beforeAll(async () => {
  keel = await startTestKeel({ RETENTION_INTERVAL_MS: '100' });
  await keel.provisionTenant(tenantId);
});

afterAll(async () => {
  await keel?.stop();
});

async function publishedOutboxRow(publishedMsAgo: number): Promise<string> {
  const eventId = randomUUID();
  const owner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await owner.connect();
  try {
    const at = new Date(keel.clock.now().getTime() - publishedMsAgo);
    await asTenant(owner, tenantId, (client) => client.query(`insert into outbox (tenant_id, event_id, type, payload, occurred_at, published_at) values ($1, $2, 'ret001.probe', '{}', $3, $3)`, [tenantId, eventId, at]), 'commit');
  } finally {
    await owner.end();
  }
  return eventId;
}

async function outboxHas(eventId: string): Promise<boolean> {
  const owner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await owner.connect();
  try {
    return await asTenant(owner, tenantId, async (client) => ((await client.query('select 1 from outbox where event_id = $1', [eventId])).rowCount ?? 0) > 0);
  } finally {
    await owner.end();
  }
}

async function counterExists(key: string): Promise<boolean> {
  return (await centralSql(keel, 'select 1 from auth_rate_limits where key = $1', [key])).length > 0;
}

describe('RET-001 each layer purges on its own schedule', () => {
  it('RET-001 the region and central purge what is due, pass after pass, at the clock\'s now', async () => {
    for (const round of [1, 2]) {
      const eventId = await publishedOutboxRow(8 * DAY);
      const key = `sign-in:email:ret001-${round}@example.com`;
      await centralSql(keel, 'insert into auth_rate_limits (key, window_started_at, attempts) values ($1, $2, 1)', [key, new Date(keel.clock.now().getTime() - DAY)]);
      await waitUntil(async () => !(await outboxHas(eventId)) && !(await counterExists(key)));
    }
    // A young row outlives the pass that took a due one with it; moving the clock past its period lets it go.
    const young = await publishedOutboxRow(DAY);
    const due = await publishedOutboxRow(8 * DAY);
    await waitUntil(async () => !(await outboxHas(due)));
    expect(await outboxHas(young)).toBe(true);
    keel.clock.advance(7 * DAY);
    await waitUntil(async () => !(await outboxHas(young)));
  });
});
