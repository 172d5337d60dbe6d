import { afterAll, beforeAll, vi } from 'vitest';
import { createTestDatabases, type TestDatabases } from './databases.ts';

/**
 * For tests of `keel` commands that work on central's database: fresh databases for the file, and
 * the CENTRAL_DATABASE_*_URL variables pointing at them while it runs. Returns a getter.
 */
export function useCentralDatabaseForCommands(): () => TestDatabases {
  let databases: TestDatabases;
  beforeAll(async () => {
    databases = await createTestDatabases();
    vi.stubEnv('CENTRAL_DATABASE_OWNER_URL', databases.central.owner);
    vi.stubEnv('CENTRAL_DATABASE_APP_URL', databases.central.app);
    vi.stubEnv('CENTRAL_DATABASE_WORKER_URL', databases.central.worker);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await databases?.drop();
  });
  return () => databases;
}
