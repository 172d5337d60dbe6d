import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, JWKS_PATH } from '@keel/central/contracts';
import type { Clock, TenantRole } from '@keel/kernel';

export interface TokenRequest {
  tenantId: string;
  userId?: string;
  role?: TenantRole;
  region?: string;
  lifetimeSeconds?: number;
  /** Override or add claims (tampering tests). */
  claims?: Record<string, unknown>;
}

export interface TestTokenIssuer {
  jwksUrl: string;
  sign(request: TokenRequest): Promise<string>;
  /** Same claims, signed by a key the JWKS does not publish. */
  signWithForeignKey(request: TokenRequest): Promise<string>;
  close(): Promise<void>;
}

/**
 * Stands in for central's token endpoint until identity lands: real ES256 keys, a real JWKS served
 * over HTTP on 127.0.0.1, tokens in the contract's format.
 */
export async function startTestTokenIssuer(clock: Clock): Promise<TestTokenIssuer> {
  const trusted = await newKey();
  const foreign = await newKey();
  const server = await serveJwks({ keys: [trusted.publicJwk] });
  const sign = (key: SigningKey) => (request: TokenRequest) => {
    const issuedAt = Math.floor(clock.now().getTime() / 1000);
    return new SignJWT({ tenant_id: request.tenantId, role: request.role ?? 'member', region: request.region ?? 'local', ...request.claims })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: key.kid })
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setSubject(request.userId ?? randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + (request.lifetimeSeconds ?? 300))
      .sign(key.privateKey);
  };
  return {
    jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}${JWKS_PATH}`,
    sign: sign(trusted),
    signWithForeignKey: sign({ ...foreign, kid: trusted.kid }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function newKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' } };
}

async function serveJwks(jwks: { keys: JWK[] }): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url !== JWKS_PATH) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return server;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Rewrites claims of a signed token and keeps its signature. */
export function tamperClaims(token: string, claims: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const changed = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')), ...claims };
  return [header, Buffer.from(JSON.stringify(changed)).toString('base64url'), signature].join('.');
}
