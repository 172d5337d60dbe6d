import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionalMigrationsFolder } from '@keel/regional';
import { createEmptyDatabase } from '../../../../test/support/databases.ts';
import { migrateDatabase } from './migrator.ts';

let database: Awaited<ReturnType<typeof createEmptyDatabase>>;

beforeAll(async () => {
  database = await createEmptyDatabase('regional');
});

afterAll(async () => {
  await database?.drop();
});

describe('PLT-009 migrations run under an advisory lock', () => {
  it('applies each migration once when three instances migrate a fresh database at once, and a later run changes nothing', async () => {
    const journal = JSON.parse(await readFile(path.join(regionalMigrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
    expect(journal.entries.length).toBeGreaterThan(0);

    const outcomes = await Promise.allSettled([1, 2, 3].map(() => migrateDatabase(database.urls.owner, regionalMigrationsFolder)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const applied = await appliedMigrations(database.urls.owner);
    expect(applied).toHaveLength(journal.entries.length);
    expect(new Set(applied.map((row) => row.hash)).size).toBe(journal.entries.length);

    await migrateDatabase(database.urls.owner, regionalMigrationsFolder);
    expect(await appliedMigrations(database.urls.owner)).toEqual(applied);
  });
});

async function appliedMigrations(ownerUrl: string): Promise<{ id: number; hash: string; created_at: string }[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: number; hash: string; created_at: string }>('select id, hash, created_at from drizzle.__drizzle_migrations order by id');
    return rows;
  } finally {
    await client.end();
  }
}
