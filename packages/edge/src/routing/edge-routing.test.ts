import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeKeel, type ComposedKeel } from '@keel/cli/compose';
import { createLogReporter, createLogger, findFreePort, loadConfig, systemClock } from '@keel/kernel';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { exchange, startSilentRegion } from './test/raw-http.ts';

let backend: TestKeel;
let edge: ComposedKeel;
let edgeUrl: string;
const tenantId = randomUUID();

beforeAll(async () => {
  backend = await startTestKeel();
  const backendUrl = backend.url;
  await backend.provisionTenant(tenantId);
  const logger = createLogger({ level: 'silent' });
  const config = loadConfig({ NODE_ENV: 'test', KEEL_ROLE: 'edge', CENTRAL_URL: backendUrl, KEEL_REGION_URLS: `local=${backendUrl},eu-west=${await closedPortUrl()}` });
  edge = await composeKeel({ config, logger, reporter: createLogReporter(logger), clock: systemClock });
  edgeUrl = await edge.app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await edge?.close();
  await backend?.stop();
});

describe('PLT-013 the edge routes to central and to the home region', () => {
  it('forwards central routes to central', async () => {
    const response = await fetch(`${edgeUrl}/api/central/regions`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ items: [{ id: 'local' }] });
  });

  it('forwards tenant routes, with their bodies, to the region in the token', async () => {
    const headers = { ...(await backend.authorization(tenantId, { role: 'admin' })), 'content-type': 'application/json' };
    const created = await fetch(`${edgeUrl}/api/v1/stores`, { method: 'POST', headers, body: JSON.stringify({ name: 'Via the edge' }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const listed = await fetch(`${edgeUrl}/api/v1/stores`, { headers });
    expect(((await listed.json()) as { items: { id: string }[] }).items.map((store) => store.id)).toEqual([id]);
  });

  it('passes the region its answer to bad input unchanged', async () => {
    const headers = { ...(await backend.authorization(tenantId, { role: 'admin' })), 'content-type': 'application/json' };
    const response = await fetch(`${edgeUrl}/api/v1/stores`, { method: 'POST', headers, body: '{"name":' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'MALFORMED_JSON' });
  });

  it.each([
    ['no token', {}, 'AUTH_TOKEN_MISSING'],
    ['a token that is not a JWT', { authorization: 'Bearer nonsense' }, 'AUTH_TOKEN_INVALID'],
  ])('refuses %s at the edge', async (_case, headers: Record<string, string>, code) => {
    const response = await fetch(`${edgeUrl}/api/v1/stores`, { headers });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code });
  });

  it('refuses a token for a region the edge does not know, forwarding nothing', async () => {
    const requestsBefore = backendRequests();
    const token = await backend.issuer.sign({ tenantId, region: 'mars' });
    const response = await fetch(`${edgeUrl}/api/v1/stores`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'AUTH_TOKEN_WRONG_REGION' });
    expect(backendRequests()).toBe(requestsBefore);
  });

  it('answers 503 UPSTREAM_UNAVAILABLE when the home region does not answer', async () => {
    const token = await backend.issuer.sign({ tenantId, region: 'eu-west' });
    const response = await fetch(`${edgeUrl}/api/v1/stores`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });

function backendRequests(): number {
  return backend.logs.filter((line) => line.msg === 'request').length;
}
});

/** A port nothing listens on, standing for a region that is down. */
async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await findFreePort()}`;
}

describe('PLT-027 the edge forwards no request whose path leaves its prefix', () => {
  it.each([
    ['/api/v1/../api/central/regions', 'tenant'],
    ['/api/v1/%2e%2e/internal', 'tenant'],
    ['/api/v1/stores/%2E./../x', 'tenant'],
    ['/api/v1/..%2f..%2fx', 'tenant'],
    ['/api/central/../../x', 'central'],
    ['/api/auth/%2e%2e/%2e%2e/x', 'central'],
    ['/api/central/.%2e/x', 'central'],
  ])('PLT-027 %s is refused with 404 ROUTE_NOT_FOUND and reaches no server behind the edge', async (path, _route) => {
    const behind = await startSilentRegion();
    const logger = createLogger({ level: 'silent' });
    const config = loadConfig({ NODE_ENV: 'test', KEEL_ROLE: 'edge', CENTRAL_URL: behind.url, KEEL_REGION_URLS: `local=${behind.url}` });
    const guarded = await composeKeel({ config, logger, reporter: createLogReporter(logger), clock: systemClock });
    try {
      const url = await guarded.app.listen({ host: '127.0.0.1', port: 0 });
      const token = await backend.issuer.sign({ tenantId });
      const answer = await exchange(url, `GET ${path} HTTP/1.1\r\nHost: edge\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`);
      expect(answer).toMatchObject({ status: 404, body: { code: 'ROUTE_NOT_FOUND' } });
      expect(behind.connections).toEqual([]);
    } finally {
      await guarded.close();
      await behind.close();
    }
  });
});
