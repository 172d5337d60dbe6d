import { randomUUID } from 'node:crypto';
import { isNull } from 'drizzle-orm';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Database } from '@keel/kernel';
import { ACCESS_TOKEN_ALGORITHM } from '../contracts/access-token.ts';
import { signingKeys } from '../schema.ts';

export interface PublicKeySet {
  keys: (JWK & { kid: string; kty: string })[];
}

/**
 * Central's token signing keys. At start-up a key is created when none is active; the public
 * halves of the keys not yet retired are the JWKS regions verify with. Rotation
 * (`keel keys rotate`, with an overlap) arrives with token issuance.
 */
export function createSigningKeyStore(database: Database) {
  return {
    async ensureActiveKey(): Promise<void> {
      const active = await database.select({ kid: signingKeys.kid }).from(signingKeys).where(isNull(signingKeys.retiredAt)).limit(1);
      if (active.length > 0) return;
      const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
      const kid = randomUUID();
      await database
        .insert(signingKeys)
        .values({ kid, publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) })
        .onConflictDoNothing();
    },

    async publicKeySet(): Promise<PublicKeySet> {
      const rows = await database.select({ kid: signingKeys.kid, publicJwk: signingKeys.publicJwk }).from(signingKeys).where(isNull(signingKeys.retiredAt));
      return { keys: rows.map((row) => ({ ...(row.publicJwk as JWK & { kty: string }), kid: row.kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' })) };
    },
  };
}

export type SigningKeyStore = ReturnType<typeof createSigningKeyStore>;
