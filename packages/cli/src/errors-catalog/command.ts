import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { collectErrors } from './collect-errors.ts';
import { renderCatalog } from './render-catalog.ts';

export const CATALOG_FILE = 'docs/errors.md';

/** Writes docs/errors.md; with `check`, fails instead when the committed file is stale. */
export async function errorsCatalogCommand(rootDir: string, options: { check: boolean }): Promise<number> {
  const catalog = renderCatalog(await collectErrors(rootDir));
  const file = path.join(rootDir, CATALOG_FILE);
  if (!options.check) {
    await writeFile(file, catalog);
    console.log(`wrote ${CATALOG_FILE}`);
    return 0;
  }
  const committed = await readFile(file, 'utf8').catch(() => '');
  if (committed === catalog) return 0;
  console.error(`${CATALOG_FILE} is stale: run npm run errors:catalog`);
  return 1;
}
