import { randomUUID } from 'node:crypto';
import { gt, isNull, or, sql } from 'drizzle-orm';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { systemClock, type Clock, type Database } from '@keel/kernel';
import { ACCESS_TOKEN_ALGORITHM } from '../contracts/access-token.ts';
import { signingKeys } from '../schema.ts';

export interface PublicKeySet {
  keys: (JWK & { kid: string; kty: string })[];
}

export interface ActiveSigningKey {
  kid: string;
  privateKey: CryptoKey;
}

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Central's token signing keys, shared by every central instance through the database. One key is
 * active and signs; `rotate` retires it in favour of a new one, and the retired key's public half
 * stays in the JWKS for the overlap, so tokens it signed keep verifying until they expire.
 */
export function createSigningKeyStore(database: Database, clock: Clock = systemClock) {
  let cached: ActiveSigningKey | undefined;

  /** Serialises the changes of the active key across connections and central instances. */
  const changeActiveKey = <T>(change: (tx: Transaction) => Promise<T>): Promise<T> =>
    database.transaction(async (tx) => {
      await tx.execute(sql`lock table ${signingKeys} in share row exclusive mode`);
      return change(tx);
    });

  const insertNewKey = async (tx: Transaction, now: Date): Promise<string> => {
    const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
    const kid = randomUUID();
    await tx.insert(signingKeys).values({ kid, publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey), createdAt: now });
    return kid;
  };

  const readActiveKey = async () => {
    const [row] = await database.select({ kid: signingKeys.kid, privateJwk: signingKeys.privateJwk }).from(signingKeys).where(isNull(signingKeys.retiredAt));
    return row;
  };

  const store = {
    /** At start-up: creates a key when none is active. */
    async ensureActiveKey(): Promise<void> {
      await changeActiveKey(async (tx) => {
        const active = await tx.select({ kid: signingKeys.kid }).from(signingKeys).where(isNull(signingKeys.retiredAt));
        if (active.length === 0) await insertNewKey(tx, clock.now());
      });
    },

    /** A new active key at once; the previous one is published for `overlapMs` more, then withdrawn. */
    async rotate(options: { overlapMs: number }): Promise<{ kid: string }> {
      const now = clock.now();
      const kid = await changeActiveKey(async (tx) => {
        await tx
          .update(signingKeys)
          .set({ retiredAt: now, publishedUntil: new Date(now.getTime() + options.overlapMs) })
          .where(isNull(signingKeys.retiredAt));
        return insertNewKey(tx, now);
      });
      return { kid };
    },

    /** The active key, read from the database on each call (another instance may have rotated). */
    async signingKey(): Promise<ActiveSigningKey> {
      let row = await readActiveKey();
      if (!row) {
        await store.ensureActiveKey();
        row = (await readActiveKey())!;
      }
      if (cached?.kid !== row.kid) {
        cached = { kid: row.kid, privateKey: (await importJWK(row.privateJwk as JWK, ACCESS_TOKEN_ALGORITHM)) as CryptoKey };
      }
      return cached;
    },

    /** The active key and the retired keys still in their overlap; public members only. */
    async publicKeySet(): Promise<PublicKeySet> {
      const rows = await database
        .select({ kid: signingKeys.kid, publicJwk: signingKeys.publicJwk })
        .from(signingKeys)
        .where(or(isNull(signingKeys.retiredAt), gt(signingKeys.publishedUntil, clock.now())));
      return { keys: rows.map((row) => ({ ...publicMembers(row.publicJwk as JWK), kid: row.kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' })) };
    },
  };
  return store;
}

/** An EC public key's members, whatever else the stored JWK holds: a private member never leaves. */
function publicMembers(jwk: JWK): JWK & { kty: string } {
  return { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! };
}

export type SigningKeyStore = ReturnType<typeof createSigningKeyStore>;
