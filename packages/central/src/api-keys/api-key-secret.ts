import { createHash, randomBytes } from 'node:crypto';

/** Every API key starts with this, so a leaked one is recognisable (and told apart from a token). */
export const API_KEY_PREFIX = 'keel_';
/** How much of a key a list shows: the prefix and a few random characters. */
const SHOWN_CHARACTERS = 12;
const RANDOM_BYTES = 32;

export interface NewApiKey {
  /** Shown to its creator once, never stored. */
  key: string;
  hash: string;
  prefix: string;
}

/** A new key: `keel_` and 32 random bytes in base64url. */
export function newApiKey(): NewApiKey {
  const key = `${API_KEY_PREFIX}${randomBytes(RANDOM_BYTES).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, SHOWN_CHARACTERS) };
}

/** What central stores of a key: its SHA-256, in hex (the key is high-entropy random, so a slow hash adds nothing). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
