import { randomUUID } from 'node:crypto';
import { connect, type Socket as TcpSocket } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { composeKeel, type ComposedKeel } from '@keel/cli/compose';
import { createHttpApp, createLogReporter, createLogger, findFreePort, loadConfig, systemClock } from '@keel/kernel';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { closed, exchange, startSilentRegion, upgradeRequest, type SilentRegion } from './test/raw-http.ts';
import { createEdgeLayer, type EdgeRouting } from '../edge-layer.ts';

/**
 * An edge of its own (KEEL_ROLE=edge, its own server) in front of a Keel: Socket.IO's polling
 * requests and WebSocket upgrades at `/realtime?region=<the token's region>` reach that region.
 */
let backend: TestKeel;
let edge: ComposedKeel;
let edgeUrl: string;
/** A region that accepts connections and never answers: what reaches it was forwarded. */
let silentRegion: SilentRegion;
const tenantId = randomUUID();
const sockets: Socket[] = [];
const logger = createLogger({ level: 'silent' });

beforeAll(async () => {
  backend = await startTestKeel();
  await backend.provisionTenant(tenantId);
  silentRegion = await startSilentRegion();
  edge = await composeEdge(`local=${backend.url},eu-west=http://127.0.0.1:${await findFreePort()},silent=${silentRegion.url}`);
  edgeUrl = await edge.app.listen({ host: '127.0.0.1', port: 0 });
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await edge?.close();
  await silentRegion?.close();
  await backend?.stop();
});

describe('RT-017 the edge routes /realtime to the region named in the query', () => {
  it.each([
    ['long-polling, then the upgrade to WebSocket', ['polling', 'websocket']],
    ['long-polling alone', ['polling']],
    ['WebSocket alone', ['websocket']],
  ] as const)('RT-017 a client connects through the edge with %s and receives its tenant\'s events', async (_case, transports) => {
    const socket = open({ region: 'local' }, [...transports], await backend.issuer.sign({ tenantId, role: 'admin' }));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    if (socket.io.engine.transport.name !== transports.at(-1)) await new Promise((resolve) => socket.io.engine.once('upgrade', resolve));
    const received = new Promise<{ orderId: string; version: number }>((resolve) => socket.once('order', resolve));
    const orderId = await createOrderThroughEdge();
    expect(await received).toMatchObject({ orderId, version: 1 });
    expect(socket.io.engine.transport.name).toBe(transports.at(-1));
  });

  it.each([
    ['no region', ''],
    ['a region the edge does not know', '&region=mars'],
  ])('RT-017 refuses a request naming %s with 401 AUTH_TOKEN_WRONG_REGION, polling or WebSocket', async (_case, query) => {
    const response = await fetch(`${edgeUrl}/realtime/?EIO=4&transport=polling${query}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'AUTH_TOKEN_WRONG_REGION' });
    const socket = open(query === '' ? {} : { region: 'mars' }, ['websocket'], await backend.issuer.sign({ tenantId }));
    expect(await new Promise((resolve) => socket.once('connect_error', resolve))).toMatchObject({ message: 'websocket error' });
  });

  it('RT-017 the region still refuses a token of another region, whatever region the query names', async () => {
    const socket = open({ region: 'local' }, ['websocket'], await backend.issuer.sign({ tenantId, region: 'eu-west' }));
    const refusal = await new Promise<Error & { data?: unknown }>((resolve) => socket.once('connect_error', resolve));
    expect({ message: refusal.message, data: refusal.data }).toEqual({ message: 'AUTH_TOKEN_WRONG_REGION', data: { code: 'AUTH_TOKEN_WRONG_REGION' } });
  });
});

describe('RT-018 the edge answers, times out and closes every upgrade, and stops with its WebSockets open', () => {
  it.each(['/x', '/api/v1/orders', '/realtimes'])('RT-018 an upgrade to %s, which the edge does not proxy, is answered 404 ROUTE_NOT_FOUND and closed', async (path) => {
    const answer = await exchange(edgeUrl, upgradeRequest(path));
    expect(answer).toMatchObject({ status: 404, body: { code: 'ROUTE_NOT_FOUND' } });
  });

  it.each([
    ['leaves', (client: TcpSocket) => client.destroy()],
    ['sends data before the region answers', (client: TcpSocket) => client.write('too early')],
  ])('RT-018 a client that %s during the handshake takes the connection to the region with it', async (_case, act) => {
    const before = silentRegion.connections.length;
    const client = connect(Number(new URL(edgeUrl).port), '127.0.0.1');
    client.on('error', () => client.destroy());
    client.write(upgradeRequest('/realtime/?EIO=4&transport=websocket&region=silent'));
    await waitUntil(async () => silentRegion.connections.length > before);
    act(client);
    await closed(silentRegion.connections[before]!);
    await closed(client);
  });

  it('RT-018 a region that does not answer the upgrade in time gets 503 UPSTREAM_UNAVAILABLE, and both connections close', async () => {
    const shortEdge = await startEdge({ centralUrl: backend.url, regionUrls: new Map([['silent', silentRegion.url]]), realtimeUpgradeTimeoutMs: 200 });
    try {
      const before = silentRegion.connections.length;
      const answer = await exchange(shortEdge.url, upgradeRequest('/realtime/?EIO=4&transport=websocket&region=silent'));
      expect(answer).toMatchObject({ status: 503, body: { code: 'UPSTREAM_UNAVAILABLE' } });
      await closed(silentRegion.connections[before]!);
    } finally {
      await shortEdge.close();
    }
  });

  it('RT-018 stopping the edge cuts its proxied WebSockets and handshakes, and completes', async () => {
    const stopping = await composeEdge(`local=${backend.url},silent=${silentRegion.url}`);
    const url = await stopping.app.listen({ host: '127.0.0.1', port: 0 });
    const socket = open({ region: 'local' }, ['websocket'], await backend.issuer.sign({ tenantId, role: 'admin' }), url);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const before = silentRegion.connections.length;
    const handshake = exchange(url, upgradeRequest('/realtime/?EIO=4&transport=websocket&region=silent'));
    await waitUntil(async () => silentRegion.connections.length > before);
    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
    await stopping.close();
    expect(await disconnected).toMatch(/^transport (close|error)$/);
    await handshake;
    await closed(silentRegion.connections[before]!);
  });
});

describe('RT-019 the edge forwards no /realtime request whose path leaves /realtime', () => {
  it.each([
    '/realtime/../api/v1/orders',
    '/realtime/%2e%2e/api/v1/orders',
    '/realtime/%2E%2e/api/v1/orders',
    '/realtime/.%2E/.%2e/api/v1/orders',
    '/realtime/./',
    '/realtime/%2e/',
    '/realtime/..%2f..%2fapi/v1/orders',
    '/realtime/..%5C..%5Capi/v1/orders',
  ])('RT-019 %s is refused with 404 ROUTE_NOT_FOUND, polling or WebSocket, forwarding nothing', async (path) => {
    const before = silentRegion.connections.length;
    const query = '?EIO=4&transport=polling&region=silent';
    const polling = await exchange(edgeUrl, `GET ${path}${query} HTTP/1.1\r\nHost: edge\r\nConnection: close\r\n\r\n`);
    expect(polling).toMatchObject({ status: 404, body: { code: 'ROUTE_NOT_FOUND' } });
    const upgrade = await exchange(edgeUrl, upgradeRequest(`${path}${query.replace('polling', 'websocket')}`));
    expect(upgrade).toMatchObject({ status: 404, body: { code: 'ROUTE_NOT_FOUND' } });
    expect(silentRegion.connections.length).toBe(before);
  });
});

async function composeEdge(regionUrls: string): Promise<ComposedKeel> {
  const config = loadConfig({ NODE_ENV: 'test', KEEL_ROLE: 'edge', CENTRAL_URL: backend.url, KEEL_REGION_URLS: regionUrls });
  return composeKeel({ config, logger, reporter: createLogReporter(logger), clock: systemClock });
}

/** An edge built from its layer, for routing options the configuration does not set. */
async function startEdge(routing: EdgeRouting): Promise<{ url: string; close: () => Promise<void> }> {
  const reporter = createLogReporter(logger);
  const app = createHttpApp({ logger, reporter, bodyLimitBytes: 1_000_000, exposeQueryCount: false, queryRepeatWarnThreshold: 100, healthChecks: [] });
  const layer = createEdgeLayer({ routing });
  await layer.register(app);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}

function open(query: Record<string, string>, transports: ('polling' | 'websocket')[], token: string, url = edgeUrl): Socket {
  const socket = io(url, { path: '/realtime', query, transports, auth: { token }, reconnection: false, forceNew: true });
  sockets.push(socket);
  return socket;
}

async function createOrderThroughEdge(): Promise<string> {
  const headers = { authorization: `Bearer ${await backend.issuer.sign({ tenantId, role: 'admin' })}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${edgeUrl}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const storeId = await post('/stores', { name: `Store ${randomUUID().slice(0, 8)}` });
  const productId = await post('/products', { sku: `SKU-${randomUUID().slice(0, 8)}`, name: 'Widget', priceMinor: 1500 });
  return post('/orders', { storeId, customer: { name: 'Ada Lovelace', email: 'ada@example.com' }, lines: [{ productId, quantity: 1 }] });
}
