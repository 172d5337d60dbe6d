import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createLayerDatabase, dropDatabase, type DatabaseUrls } from '@keel/kernel';

export interface TestDatabases {
  central: DatabaseUrls;
  regional: DatabaseUrls;
  /** Superuser URL of the test cluster, for tests that set up what no role may. */
  superuserUrl: string;
  drop(): Promise<void>;
}

/** Fresh, migrated central and regional databases for one test file, cloned from the templates. */
export async function createTestDatabases(): Promise<TestDatabases> {
  const { superuserUrl, passwords, templates } = inject('postgres');
  const suffix = randomBytes(5).toString('hex');
  const names = { central: `keel_test_central_${suffix}`, regional: `keel_test_regional_${suffix}` };
  const central = await createLayerDatabase({ superuserUrl, database: names.central, layer: 'central', passwords: passwords.central, template: templates.central });
  const regional = await createLayerDatabase({ superuserUrl, database: names.regional, layer: 'regional', passwords: passwords.regional, template: templates.regional });
  return {
    central,
    regional,
    superuserUrl,
    drop: async () => {
      await dropDatabase(superuserUrl, names.central);
      await dropDatabase(superuserUrl, names.regional);
    },
  };
}

/** A new, empty database (no migrations) with the roles of `layer`, for migrator tests. */
export async function createEmptyDatabase(layer: 'central' | 'regional'): Promise<{ urls: DatabaseUrls; drop(): Promise<void> }> {
  const { superuserUrl, passwords } = inject('postgres');
  const name = `keel_test_empty_${randomBytes(5).toString('hex')}`;
  // The roles exist already: the global setup created them (cluster-wide) for the templates.
  const urls = await createLayerDatabase({ superuserUrl, database: name, layer, passwords: passwords[layer] });
  return { urls, drop: () => dropDatabase(superuserUrl, name) };
}
