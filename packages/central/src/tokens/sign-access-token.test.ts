import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { decodeProtectedHeader } from 'jose';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createLogger, createPool, ManualClock } from '@keel/kernel';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { JWKS_PATH } from '../contracts/access-token.ts';
import { createAccessTokenVerifier } from '../contracts/verify-access-token.ts';
import { createSigningKeyStore, type SigningKeyStore } from '../signing-keys/signing-key-store.ts';
import { signAccessToken } from './sign-access-token.ts';

const OVERLAP_MS = 15 * 60_000;
const REGION = 'eu-west';
const clock = new ManualClock(new Date('2026-03-01T09:00:00.000Z'));
let databases: TestDatabases;
let pool: pg.Pool;
let keys: SigningKeyStore;
let jwksServer: Server;
let jwksUrl: string;

beforeAll(async () => {
  databases = await createTestDatabases();
  pool = createPool(databases.central.app, { applicationName: 'test-sign-access-token', logger: createLogger({ level: 'silent' }) });
  keys = createSigningKeyStore(createDatabase(pool), clock);
  jwksServer = createServer((_request, response) => {
    void keys.publicKeySet().then((set) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(set)));
  }).listen(0, '127.0.0.1');
  await once(jwksServer, 'listening');
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}${JWKS_PATH}`;
});

afterAll(async () => {
  jwksServer?.closeAllConnections();
  await new Promise((resolve) => (jwksServer ? jwksServer.close(resolve) : resolve(undefined)));
  await pool?.end();
  await databases?.drop();
});

describe('TEN-016 central signs ES256 tokens in the contract format with its active key', () => {
  it('TEN-016 a token signed now verifies against the JWKS served over HTTP', async () => {
    const claims = { sub: randomUUID(), tenantId: randomUUID(), role: 'admin' as const, region: REGION };
    const { token, expiresAt } = await signAccessToken({ keys, clock, claims, lifetimeSeconds: 300 });

    const issuedAt = clock.now().getTime() / 1000;
    expect(await freshVerifier()(token)).toEqual({ sub: claims.sub, tenant_id: claims.tenantId, role: 'admin', region: REGION, iat: issuedAt, exp: issuedAt + 300 });
    expect(expiresAt).toEqual(new Date((issuedAt + 300) * 1000));
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: (await keys.signingKey()).kid });
  });

  it('TEN-016 after a rotation new tokens carry the new key id', async () => {
    const before = await sign();
    const { kid } = await keys.rotate({ overlapMs: OVERLAP_MS });
    const after = await sign();
    expect(decodeProtectedHeader(after).kid).toBe(kid);
    expect(decodeProtectedHeader(before).kid).not.toBe(kid);
  });
});

describe('TEN-015 central signs no token living longer than 5 minutes', () => {
  it.each([301, 3600])('TEN-015 refuses a lifetime of %i seconds', async (lifetimeSeconds) => {
    await expect(sign(lifetimeSeconds)).rejects.toThrow(RangeError);
  });
});

describe('TEN-017 a rotated-out key verifies its tokens for the overlap, then is withdrawn', () => {
  it('TEN-017 a token of the previous key verifies during the overlap and is refused as AUTH_TOKEN_INVALID after it', async () => {
    const previousKeyToken = await sign();
    await keys.rotate({ overlapMs: OVERLAP_MS });
    await expect(freshVerifier()(previousKeyToken)).resolves.toMatchObject({ region: REGION });
    await expect(freshVerifier()(await sign())).resolves.toMatchObject({ region: REGION });

    clock.advance(OVERLAP_MS);
    // The token has expired too by now; it is refused for its key, which is checked first.
    await expect(freshVerifier()(previousKeyToken)).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    await expect(freshVerifier()(await sign())).resolves.toMatchObject({ region: REGION });
  });
});

function sign(lifetimeSeconds = 300): Promise<string> {
  const claims = { sub: randomUUID(), tenantId: randomUUID(), role: 'member' as const, region: REGION };
  return signAccessToken({ keys, clock, claims, lifetimeSeconds }).then((signed) => signed.token);
}

/** A verifier with nothing cached: it fetches the JWKS as served now. */
function freshVerifier() {
  return createAccessTokenVerifier({ jwksUrl, region: REGION, clock, cacheMaxAgeMs: 600_000 });
}
