import { describe, expect, it, vi } from 'vitest';
import { createSigningKeyStore } from '@keel/central';
import { createDatabase, createLogger, createPool } from '@keel/kernel';
import { useCentralDatabaseForCommands } from '../../../../test/support/cli-central.ts';
import { rotateKeysCommand } from './rotate-keys-command.ts';

const testDatabases = useCentralDatabaseForCommands();

describe('TEN-017 keel keys rotate puts a new key in charge and keeps the previous one published', () => {
  it('TEN-017 prints a key id that then signs, while the previous key stays in the JWKS', async () => {
    const pool = createPool(testDatabases().central.app, { applicationName: 'test', logger: createLogger({ level: 'silent' }) });
    try {
      const keys = createSigningKeyStore(createDatabase(pool));
      const previous = await keys.signingKey();

      const printed = vi.spyOn(console, 'log').mockImplementation(() => {});
      expect(await rotateKeysCommand()).toBe(0);
      const kid = /signing key (\S+) is active/.exec(String(printed.mock.calls[0]?.[0]))?.[1];
      printed.mockRestore();

      expect(kid).toMatch(/^[\da-f-]{36}$/);
      expect((await keys.signingKey()).kid).toBe(kid);
      expect((await keys.publicKeySet()).keys.map((key) => key.kid)).toEqual(expect.arrayContaining([previous.kid, kid]));
    } finally {
      await pool.end();
    }
  });
});
