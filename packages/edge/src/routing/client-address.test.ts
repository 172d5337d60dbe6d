import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeKeel, type ComposedKeel } from '@keel/cli/compose';
import { createLogReporter, createLogger, loadConfig, systemClock } from '@keel/kernel';
import { centralClient, newEmail } from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';

/**
 * Central behind a separate edge, trusting it (TRUST_PROXY) for the client's address: limits per
 * address count each client, not the edge — and a client cannot choose its address.
 */
const PER_IP = 2;
let central: TestKeel;
let edge: ComposedKeel;
let edgeUrl: string;

beforeAll(async () => {
  central = await startTestKeel({ TRUST_PROXY: 'loopback', AUTH_RATE_LIMIT_PER_IP: String(PER_IP) });
  const logger = createLogger({ level: 'silent' });
  const config = loadConfig({ NODE_ENV: 'test', KEEL_ROLE: 'edge', CENTRAL_URL: central.url, KEEL_REGION_URLS: `local=${central.url}` });
  edge = await composeKeel({ config, logger, reporter: createLogReporter(logger), clock: systemClock });
  edgeUrl = await edge.app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await edge?.close();
  await central?.stop();
});

describe('PLT-019 the client address behind a trusted proxy', () => {
  it('PLT-019 a client cannot pick its address through the edge: the X-Forwarded-For it sends is replaced', async () => {
    for (let attempt = 0; attempt < PER_IP; attempt++) expect((await signInThroughEdge(`198.51.100.${attempt}`)).status).toBe(401);
    expect((await signInThroughEdge('198.51.100.99')).status).toBe(429);
  });

  it('PLT-019 central trusting its proxy counts the address the proxy names, not the proxy\'s', async () => {
    const client = centralClient(central);
    await client.signUp();
    const direct = (address: string) =>
      central.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', remoteAddress: '127.0.0.1', headers: { 'content-type': 'application/json', origin: central.url, 'x-forwarded-for': address }, payload: { email: newEmail(), password: 'not the password' } });
    for (let attempt = 0; attempt < PER_IP; attempt++) expect((await direct('203.0.113.7')).statusCode).toBe(401);
    expect((await direct('203.0.113.7')).statusCode).toBe(429);
    expect((await direct('203.0.113.8')).statusCode).toBe(401);
  });
});

function signInThroughEdge(claimedAddress: string): Promise<Response> {
  return fetch(`${edgeUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: central.url, 'x-forwarded-for': claimedAddress },
    body: JSON.stringify({ email: newEmail(), password: 'not the password' }),
  });
}
