import { glob } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isAppErrorClass, type ErrorDefinition } from '@keel/kernel';

export interface CatalogEntry extends ErrorDefinition {
  /** Repository-relative file that declares it. */
  source: string;
}

/** Error classes live in `errors.ts` or `*-errors.ts` beside the code of their context. */
const ERROR_MODULES = 'packages/*/src/**/{errors,*-errors}.ts';
/** Test fixtures declare errors of their own (e.g. a deliberately duplicated code). */
const EXCLUDED_DIRECTORIES = new Set(['node_modules', 'fixtures']);

export async function collectErrors(rootDir: string): Promise<CatalogEntry[]> {
  const entries = new Map<string, CatalogEntry>();
  const files: string[] = [];
  const matches = glob(ERROR_MODULES, { cwd: rootDir, exclude: (entry) => EXCLUDED_DIRECTORIES.has(path.basename(entry)) });
  for await (const file of matches) files.push(file);
  for (const file of files.sort()) {
    const exported: Record<string, unknown> = await import(pathToFileURL(path.join(rootDir, file)).href);
    for (const value of Object.values(exported)) {
      if (!isAppErrorClass(value)) continue;
      const { definition } = value;
      const existing = entries.get(definition.code);
      if (existing && existing.source !== file) throw new Error(`error code ${definition.code} is declared twice: ${existing.source} and ${file}`);
      entries.set(definition.code, { ...definition, source: file.split(path.sep).join('/') });
    }
  }
  return [...entries.values()].sort((a, b) => a.code.localeCompare(b.code));
}
