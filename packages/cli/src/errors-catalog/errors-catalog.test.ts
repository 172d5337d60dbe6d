import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CATALOG_FILE, errorsCatalogCommand } from './command.ts';
import { collectErrors, type CatalogEntry } from './collect-errors.ts';
import { renderCatalog } from './render-catalog.ts';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('PLT-003 error catalogue', () => {
  let entries: CatalogEntry[];
  beforeAll(async () => {
    entries = await collectErrors(repoRoot);
  });

  it.each([
    ['VALIDATION_FAILED', 400, 'packages/kernel/src/errors/errors.ts'],
    ['STORE_NOT_FOUND', 404, 'packages/regional/src/stores/errors.ts'],
    ['TENANT_CONTEXT_MISSING', 500, 'packages/kernel/src/tenancy/errors.ts'],
    ['AUTH_TOKEN_EXPIRED', 401, 'packages/central/src/contracts/token-errors.ts'],
  ])('PLT-003 collects %s (%i) from %s', (code, status, source) => {
    expect(entries).toContainEqual(expect.objectContaining({ code, status, source }));
  });

  it('PLT-003 every code is unique, SCREAMING_SNAKE_CASE, with a 4xx or 5xx status and a description', () => {
    const codes = entries.map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const entry of entries) {
      expect(entry.code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(entry.description).not.toBe('');
    }
  });

  it('PLT-003 the committed docs/errors.md matches the error classes', async () => {
    const committed = await readFile(`${repoRoot}/${CATALOG_FILE}`, 'utf8');
    expect(committed, `${CATALOG_FILE} is stale: run npm run errors:catalog`).toBe(renderCatalog(entries));
  });

  it('PLT-003 leaves error modules under fixtures directories out of the catalogue', () => {
    expect(entries.filter((entry) => entry.source.includes('/fixtures/'))).toEqual([]);
  });

  it('PLT-003 refuses a code declared in two files, naming both', async () => {
    await expect(collectErrors(fixture('duplicate-code'))).rejects.toThrow(
      'error code PARCEL_LOST is declared twice: packages/billing/src/invoice-errors.ts and packages/orders/src/shipping/errors.ts',
    );
  });

  describe('errors catalog --check', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('PLT-003 fails on a stale committed catalogue and tells to regenerate it', async () => {
      const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
      expect(await errorsCatalogCommand(fixture('stale-catalog'), { check: true })).toBe(1);
      expect(printed).toHaveBeenCalledWith(`${CATALOG_FILE} is stale: run npm run errors:catalog`);
    });
  });
});
