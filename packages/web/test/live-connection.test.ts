import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestKeel, type TestKeel } from '../../../test/support/keel.ts';
import { waitUntil } from '../../../test/support/queue-driver-contract.ts';
import { asTenant } from '../../../test/support/tenant-sql.ts';
import { closeAll, connect } from '../../../test/support/realtime-client.ts';
import type { AccessToken } from '../src/api/types.ts';
import { createLiveConnection, type ImportUpdate, type LiveConnection, type LiveStatus } from '../src/live/live-connection.ts';

/**
 * The web app's live connection (socket.io-client, as in the browser) against a real Keel whose
 * clock is manual: the server cuts sockets whose token expired by that clock, and the connection
 * reads the same clock to renew its token a minute before expiry.
 */
let keel: TestKeel;
const opened: LiveConnection[] = [];

beforeAll(async () => {
  keel = await startTestKeel({ REALTIME_TOKEN_CHECK_INTERVAL_MS: '20' });
});

afterEach(() => {
  for (const connection of opened.splice(0)) connection.close();
  closeAll();
});

afterAll(async () => {
  await keel?.stop();
});

/** Tokens of one subject, each asked with the token the connection no longer wants (if any). */
function tokenSource(tenantId: string, subject: string, lifetimes: number[]) {
  const asked: { refused: string | undefined; issued: string }[] = [];
  return {
    asked,
    async token(refused?: string): Promise<AccessToken> {
      const lifetimeSeconds = lifetimes[Math.min(asked.length, lifetimes.length - 1)]!;
      const token = await keel.issuer.sign({ tenantId, userId: subject, lifetimeSeconds });
      asked.push({ refused, issued: token });
      return { token, expiresAt: new Date(Math.floor(keel.clock.now().getTime() / 1000) * 1000 + lifetimeSeconds * 1000).toISOString(), region: 'local' };
    },
  };
}

function open(tokens: { token(refused?: string): Promise<AccessToken> }): { connection: LiveConnection; statuses: LiveStatus[]; reconnects: () => number } {
  const connection = createLiveConnection({ url: keel.url, token: (refused) => tokens.token(refused), now: () => keel.clock.now().getTime() });
  opened.push(connection);
  const statuses: LiveStatus[] = [];
  let reconnects = 0;
  connection.subscribe(() => {
    if (statuses.at(-1) !== connection.status()) statuses.push(connection.status());
  });
  connection.onReconnect(() => (reconnects += 1));
  return { connection, statuses, reconnects: () => reconnects };
}

async function newTenant(): Promise<string> {
  const tenantId = randomUUID();
  await keel.provisionTenant(tenantId);
  return tenantId;
}

describe('WEB-070 the live connection keeps a valid token', () => {
  it('WEB-070 renews its token on the open socket before it expires, so the expiry check that cuts a socket without a fresh token leaves it connected', async () => {
    const [tenantId, subject] = [await newTenant(), randomUUID()];
    // 61 s: the renewal, a minute before expiry, is due a second after connecting.
    const tokens = tokenSource(tenantId, subject, [61, 300]);
    const { connection, statuses } = open(tokens);
    const stale = await connect(keel.url, await keel.issuer.sign({ tenantId, userId: randomUUID(), lifetimeSeconds: 61 }));
    await waitUntil(async () => connection.status() === 'live' && tokens.asked.length === 2);
    expect(tokens.asked[1]!.refused).toBe(tokens.asked[0]!.issued);

    keel.clock.advance(62_000);
    expect(await stale.disconnected).toBe('io server disconnect');
    // The check went over every socket at once: the renewed one stayed.
    expect(connection.status()).toBe('live');
    expect(statuses).toEqual(['live']);
  });

  it('WEB-070 WEB-075 a socket the server cuts connects again with a fresh token (never the one refused), announces its rooms again, and says it reconnected', async () => {
    const [tenantId, subject] = [await newTenant(), randomUUID()];
    const tokens = tokenSource(tenantId, subject, [120, 300]);
    const { connection, statuses, reconnects } = open(tokens);
    connection.enter('board', 'editing');
    const colleague = await connect(keel.url, await keel.issuer.sign({ tenantId, userId: randomUUID(), lifetimeSeconds: 300 }));
    const lists: string[][] = [];
    colleague.socket.on('presence', (update: { members: { subject: string; activity: string }[] }) => lists.push(update.members.map((member) => `${member.subject}:${member.activity}`)));
    expect(await colleague.emit('presence', { room: 'board', activity: 'viewing' })).toMatchObject({ room: 'board' });
    await waitUntil(async () => connection.status() === 'live');

    // Past the first token's expiry (and not yet at its renewal, which is due in real time): the server cuts the socket.
    keel.clock.advance(121_000);
    await waitUntil(async () => reconnects() === 1);
    expect(statuses).toEqual(['live', 'reconnecting', 'live']);
    expect(tokens.asked.at(-1)!.refused).toBe(tokens.asked[0]!.issued);
    // Cut: gone from the board (its disconnect removed it); reconnected: back on it, editing as before.
    const here = `${subject}:editing`;
    const left = () => lists.some((list, index) => !list.includes(here) && lists.slice(0, index).some((earlier) => earlier.includes(here)));
    await waitUntil(async () => left() && lists.at(-1)!.includes(here));
  });
});

describe('WEB-092 import events reach the page', () => {
  it("WEB-092 the live connection of an admin hands each committed import event of its tenant to its listeners, and none of another tenant's", async () => {
    const [tenantId, otherTenant] = [await newTenant(), await newTenant()];
    const { connection } = open({ token: async () => ({ token: await keel.issuer.sign({ tenantId, userId: randomUUID(), role: 'admin', lifetimeSeconds: 300 }), expiresAt: new Date(keel.clock.now().getTime() + 300_000).toISOString(), region: 'local' }) });
    const received: ImportUpdate[] = [];
    connection.onImport((update) => received.push(update));
    await waitUntil(async () => connection.status() === 'live');

    const progressed = (tenant: string, version: number) =>
      appendCommitted(tenant, { importId: randomUUID(), state: 'processing', progress: 40, rowsImported: 2, rowsRejected: 0, failureCode: null, version });
    await progressed(otherTenant, 7);
    await progressed(tenantId, 2);
    await waitUntil(async () => received.length === 1);
    expect(received).toEqual([expect.objectContaining({ state: 'processing', progress: 40, version: 2 })]);
  });
});

/** An `import.progressed` event committed to the outbox of `tenantId`, as an import batch appends it. */
async function appendCommitted(tenantId: string, payload: ImportUpdate): Promise<void> {
  const client = new pg.Client({ connectionString: keel.databases.regional.app });
  await client.connect();
  try {
    await asTenant(client, tenantId, (tx) => tx.query(`insert into outbox (tenant_id, event_id, type, payload) values ($1, gen_random_uuid(), 'import.progressed', $2)`, [tenantId, payload]), 'commit');
  } finally {
    await client.end();
  }
}
