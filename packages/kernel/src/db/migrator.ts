import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';

/** Any fixed 64-bit number works; advisory locks are per database, so one key serves all. */
const MIGRATION_LOCK_KEY = 7_305_861_042_913n;

/**
 * Applies committed SQL migrations as the database owner. Drizzle's migrator takes no lock, so
 * several instances starting at once would race; a session advisory lock serialises them and
 * the later ones find nothing left to do.
 */
export async function migrateDatabase(ownerUrl: string, migrationsFolder: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'keel-migrator' });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      await migrate(drizzle({ client }), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
    }
  } finally {
    await client.end();
  }
}
