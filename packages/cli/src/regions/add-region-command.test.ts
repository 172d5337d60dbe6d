import { describe, expect, it, vi } from 'vitest';
import { createRegionRegistry } from '@keel/central';
import { createDatabase, createLogger, createPool } from '@keel/kernel';
import { useCentralDatabaseForCommands } from '../../../../test/support/cli-central.ts';
import { addRegionCommand } from './add-region-command.ts';

const testDatabases = useCentralDatabaseForCommands();

describe('MSG-013 keel regions add registers a region and its feed credential', () => {
  it('MSG-013 prints a credential that central then accepts for that region only', async () => {
    const printed = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await addRegionCommand(['eu-west'])).toBe(0);
    const credential = /KEEL_REGION_CREDENTIAL=(\S+)/.exec(String(printed.mock.calls[0]?.[0]))?.[1];
    printed.mockRestore();
    expect(credential).toMatch(/^[\w-]{48}$/);

    const pool = createPool(testDatabases().central.app, { applicationName: 'test', logger: createLogger({ level: 'silent' }) });
    try {
      const registry = createRegionRegistry(createDatabase(pool));
      expect(await registry.list()).toContain('eu-west');
      expect(await registry.verifyCredential('eu-west', credential!)).toBe(true);
      expect(await registry.verifyCredential('local', credential!)).toBe(false);
      expect(await registry.verifyCredential('eu-west', `${credential}x`)).toBe(false);
    } finally {
      await pool.end();
    }
  });

  it('refuses a region id that is not lower-case letters, digits and dashes', async () => {
    const complained = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await addRegionCommand(['EU West'])).toBe(2);
    complained.mockRestore();
  });
});
