import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@keel/kernel';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { isPublicAddress } from './target-policy.ts';
import { startWebhooksKit, type WebhooksKit } from './test/webhooks-kit.ts';

/** Endpoints as production runs them: private targets NOT allowed, so https only and public addresses only. */
let kit: WebhooksKit;
let tenant: string;

beforeAll(async () => {
  kit = await startWebhooksKit({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', WEBHOOK_MAX_ATTEMPTS: '1' });
  tenant = await kit.newTenant();
});

afterAll(async () => {
  await kit?.stop();
});

const PUBLIC_URL = 'https://hooks.example.com/keel';

describe('WHK-002 the secret', () => {
  it('WHK-002 is answered once at registration, never listed or read, and stored only sealed', async () => {
    const endpoint = await kit.register(tenant, { url: PUBLIC_URL, eventTypes: ['order.created'], description: 'ERP' });
    expect(endpoint).toMatchObject({ url: PUBLIC_URL, eventTypes: ['order.created'], description: 'ERP', status: 'active', version: 1, previousSecretExpiresAt: null });
    expect(endpoint.secret).toMatch(/^whsec_[\w-]{43}$/);
    const read = await kit.api(tenant, { method: 'GET', url: `/webhooks/${endpoint.id}` });
    const listed = await kit.api(tenant, { method: 'GET', url: '/webhooks' });
    const changed = await kit.api(tenant, { method: 'PATCH', url: `/webhooks/${endpoint.id}`, payload: { description: 'ERP (prod)', version: 1 } });
    for (const response of [read, listed, changed]) {
      expect(response.statusCode, response.body).toBe(200);
      expect(response.body).not.toContain(endpoint.secret);
      expect(response.body).not.toContain('secret"');
    }
    const [stored] = await kit.sql<{ secret_ciphertext: string }>(tenant, 'select secret_ciphertext from webhook_endpoints where id = $1', [endpoint.id]);
    expect(stored!.secret_ciphertext).toMatch(/^v1\./);
    expect(stored!.secret_ciphertext).not.toContain(endpoint.secret.slice(6));
  });
});

describe('WHK-003 WHK-021 what may be registered', () => {
  it.each([
    ['not a URL', 'hooks.example.com', 400, 'VALIDATION_FAILED'],
    ['credentials in the URL', 'https://user:pass@hooks.example.com/', 400, 'VALIDATION_FAILED'],
    ['another scheme', 'ftp://hooks.example.com/', 400, 'VALIDATION_FAILED'],
    ['http', 'http://hooks.example.com/', 422, 'WEBHOOK_HTTPS_REQUIRED'],
    ['a loopback address', 'https://127.0.0.1:8443/', 422, 'WEBHOOK_TARGET_FORBIDDEN'],
    ['a private address', 'https://10.1.2.3/', 422, 'WEBHOOK_TARGET_FORBIDDEN'],
    ['the metadata service (link-local)', 'https://169.254.169.254/latest', 422, 'WEBHOOK_TARGET_FORBIDDEN'],
    ['IPv6 loopback', 'https://[::1]/', 422, 'WEBHOOK_TARGET_FORBIDDEN'],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/', 422, 'WEBHOOK_TARGET_FORBIDDEN'],
    ['0.0.0.0', 'https://0.0.0.0/', 422, 'WEBHOOK_TARGET_FORBIDDEN'],
  ])('WHK-003 WHK-021 refuses %s', async (_case, url, status, code) => {
    const response = await kit.api(tenant, { method: 'POST', url: '/webhooks', payload: { url, eventTypes: ['order.created'] } });
    expect(response.statusCode, response.body).toBe(status);
    expect(response.json()).toMatchObject({ code });
  });

  it.each([
    ['no event type', []],
    ['an unknown event type', ['store.created']],
    ['a repeated event type', ['order.created', 'order.created']],
  ])('WHK-003 refuses %s', async (_case, eventTypes) => {
    const response = await kit.api(tenant, { method: 'POST', url: '/webhooks', payload: { url: PUBLIC_URL, eventTypes } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('WHK-001 roles', () => {
  it('WHK-001 refuses a member (403 FORBIDDEN_ROLE)', async () => {
    for (const request of [
      { method: 'GET', url: '/webhooks' },
      { method: 'POST', url: '/webhooks', payload: { url: PUBLIC_URL, eventTypes: ['order.created'] } },
    ] as const) {
      const response = await kit.api(tenant, request, 'member');
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    }
  });
});

describe('WHK-001 another tenant', () => {
  it("WHK-001 answers another tenant's admin 404 WEBHOOK_ENDPOINT_NOT_FOUND and lists none of its endpoints", async () => {
    const endpoint = await kit.register(tenant, { url: PUBLIC_URL, eventTypes: ['order.created'] });
    const other = await kit.newTenant();
    for (const request of [
      { method: 'GET', url: `/webhooks/${endpoint.id}` },
      { method: 'GET', url: `/webhooks/${endpoint.id}/deliveries` },
      { method: 'POST', url: `/webhooks/${endpoint.id}/rotate-secret` },
      { method: 'DELETE', url: `/webhooks/${endpoint.id}?version=1` },
    ] as const) {
      const response = await kit.api(other, request, 'owner');
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'WEBHOOK_ENDPOINT_NOT_FOUND' });
    }
    expect((await kit.api(other, { method: 'GET', url: '/webhooks' })).json()).toEqual({ items: [], nextCursor: null });
  });
});

describe('WHK-004 the plan limit', () => {
  it('WHK-004 refuses the endpoint beyond the plan\'s webhookEndpoints with 402 PLAN_LIMIT_REACHED', async () => {
    const limited = await kit.newTenant();
    await kit.sql(limited, `update tenant_plans set limits = jsonb_set(limits, '{webhookEndpoints}', '1')`);
    await kit.register(limited, { url: PUBLIC_URL, eventTypes: ['order.created'] });
    const refused = await kit.api(limited, { method: 'POST', url: '/webhooks', payload: { url: PUBLIC_URL, eventTypes: ['order.created'] } });
    expect(refused.statusCode).toBe(402);
    expect(refused.json()).toMatchObject({ code: 'PLAN_LIMIT_REACHED' });
  });
});

describe('WHK-006 versioned changes', () => {
  it('WHK-006 answers 409 VERSION_CONFLICT to a stale version, 404 once deleted', async () => {
    const endpoint = await kit.register(tenant, { url: PUBLIC_URL, eventTypes: ['order.created'] });
    const disabled = await kit.api(tenant, { method: 'PATCH', url: `/webhooks/${endpoint.id}`, payload: { status: 'disabled', version: 1 } });
    expect(disabled.json()).toMatchObject({ status: 'disabled', version: 2 });
    const stale = await kit.api(tenant, { method: 'PATCH', url: `/webhooks/${endpoint.id}`, payload: { status: 'active', version: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT' });
    expect((await kit.api(tenant, { method: 'DELETE', url: `/webhooks/${endpoint.id}?version=1` })).statusCode).toBe(409);
    expect((await kit.api(tenant, { method: 'DELETE', url: `/webhooks/${endpoint.id}?version=2` })).statusCode).toBe(204);
    const gone = await kit.api(tenant, { method: 'GET', url: `/webhooks/${endpoint.id}/deliveries` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ code: 'WEBHOOK_ENDPOINT_NOT_FOUND' });
  });
});

describe('WHK-020 refused when the connection is made', () => {
  let listener: Server;
  let connections = 0;

  beforeAll(async () => {
    listener = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => listener.close(resolve));
  });

  it('WHK-020 a host name that resolves to 127.0.0.1 registers, but its delivery never connects: logged as WEBHOOK_TARGET_FORBIDDEN, then a dead letter', async () => {
    const ssrfTenant = await kit.newTenant();
    const url = `https://localhost:${(listener.address() as AddressInfo).port}/hook`;
    const endpoint = await kit.register(ssrfTenant, { url, eventTypes: ['order.created'] });
    await kit.createOrder(ssrfTenant);
    await waitUntil(async () => (await kit.deliveries(ssrfTenant, endpoint.id)).length === 1);
    expect(await kit.deliveries(ssrfTenant, endpoint.id)).toMatchObject([{ attempt: 1, outcome: 'failed', statusCode: null, errorCode: 'WEBHOOK_TARGET_FORBIDDEN' }]);
    expect(connections).toBe(0);
    await waitUntil(async () => (await kit.api(ssrfTenant, { method: 'GET', url: '/dead-letters?status=open' })).json().items.length === 1);
    const [deadLetter] = (await kit.api(ssrfTenant, { method: 'GET', url: '/dead-letters?status=open' })).json().items;
    expect(deadLetter).toMatchObject({ consumer: 'webhook-delivery', lastErrorCode: 'WEBHOOK_TARGET_FORBIDDEN' });
  });

  it.each([
    ['127.0.0.1', false],
    ['127.255.255.254', false],
    ['10.0.0.1', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['192.0.2.1', false],
    ['::', false],
    ['::1', false],
    ['fe80::1', false],
    ['fc00::1', false],
    ['fd12:3456::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['64:ff9b::7f00:1', false],
    ['2002:7f00:1::', false],
    ['2001:db8::1', false],
    // IPv4-compatible (::/96), the embedded IPv4 address public or not, and IPv6 space not assigned.
    ['::7f00:1', false],
    ['::127.0.0.1', false],
    ['::a00:1', false],
    ['::808:808', false],
    ['::8.8.8.8', false],
    ['4000::1', false],
    // 6to4, NAT64, IPv4-translated and Teredo, whatever IPv4 address they embed.
    ['2002:a00:1::', false],
    ['2002:808:808::', false],
    ['64:ff9b::a00:1', false],
    ['64:ff9b::808:808', false],
    ['64:ff9b:1::a00:1', false],
    ['::ffff:0:a00:1', false],
    ['2001::a00:1', false],
    ['not an address', false],
    ['fe80::1%eth0', false],
    ['93.184.215.14', true],
    ['8.8.8.8', true],
    ['::ffff:8.8.8.8', true],
    ['2606:4700:4700::1111', true],
  ])('WHK-020 %s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('WHK-022 configuration', () => {
  it('WHK-022 refuses WEBHOOK_ALLOW_PRIVATE_TARGETS=true in production, and production without WEBHOOK_SECRET_KEY', () => {
    const production = { NODE_ENV: 'production', KEEL_ROLE: 'regional', CENTRAL_JWKS_URL: 'https://central.example.com/jwks.json', FEED_DRIVER: 'sns', QUEUE_DRIVER: 'sqs', SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:keel', REGIONAL_DATABASE_OWNER_URL: 'postgres://o@db/r', REGIONAL_DATABASE_APP_URL: 'postgres://a@db/r', REGIONAL_DATABASE_WORKER_URL: 'postgres://w@db/r', STORAGE_SIGNING_SECRET: 's'.repeat(32) };
    const key = { WEBHOOK_SECRET_KEY: 'k'.repeat(32) };
    expect(() => loadConfig({ ...production, ...key })).not.toThrow();
    expect(() => loadConfig({ ...production, ...key, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })).toThrow(/WEBHOOK_ALLOW_PRIVATE_TARGETS/);
    expect(() => loadConfig(production)).toThrow(/WEBHOOK_SECRET_KEY/);
  });
});
