import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';

/** The region verifies tokens with central's public keys; here central's JWKS goes away. */
let keel: TestKeel | undefined;

afterEach(async () => {
  await keel?.stop();
  keel = undefined;
});

describe('TEN-014 tokens while central is down', () => {
  it('TEN-014 keeps accepting valid tokens with the keys fetched before, after they aged', async () => {
    keel = await startTestKeel({ JWKS_CACHE_MAX_AGE_MS: '1' });
    const tenantId = randomUUID();
    const headers = await keel.authorization(tenantId);
    expect((await listStores(keel, headers)).statusCode).toBe(200);
    await keel.issuer.close();
    const whileCentralIsDown = await listStores(keel, await keel.authorization(tenantId));
    expect(whileCentralIsDown.statusCode).toBe(200);
  });

  it('TEN-014 answers 503 CENTRAL_UNAVAILABLE, not 401, when no key was ever fetched', async () => {
    keel = await startTestKeel();
    const headers = await keel.authorization(randomUUID());
    await keel.issuer.close();
    const response = await listStores(keel, headers);
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'CENTRAL_UNAVAILABLE' });
  });

  it('TEN-010 still refuses a forged token while central is down', async () => {
    keel = await startTestKeel({ JWKS_CACHE_MAX_AGE_MS: '1' });
    const tenantId = randomUUID();
    await listStores(keel, await keel.authorization(tenantId));
    await keel.issuer.close();
    const forged = await keel.issuer.signWithForeignKey({ tenantId });
    const response = await listStores(keel, { authorization: `Bearer ${forged}` });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
  });
});

function listStores(running: TestKeel, headers: Record<string, string>) {
  return running.app.inject({ method: 'GET', url: '/api/v1/stores', headers });
}
