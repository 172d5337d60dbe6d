import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { centralMigrationsFolder } from '@keel/central';
import { createLogger, migrateDatabase, provisionDatabase, startEmbeddedCluster, type LayerRoles } from '@keel/kernel';
import { regionalMigrationsFolder } from '@keel/regional';

export interface TestPostgres {
  superuserUrl: string;
  passwords: { central: LayerRoles; regional: LayerRoles };
  templates: { central: string; regional: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: TestPostgres;
  }
}

/**
 * One PostgreSQL cluster per test run (never `.data/`), with a migrated template database per
 * layer; each test file clones its own databases from the templates (test/support/databases.ts).
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'keel-test-pg-'));
  const cluster = await startEmbeddedCluster({ dataDir, logger: createLogger({ level: 'silent' }) });
  const { superuserUrl, secrets } = cluster;
  const templates = { central: 'keel_central_template', regional: 'keel_regional_template' };
  const central = await provisionDatabase({ superuserUrl, database: templates.central, layer: 'central', passwords: secrets.rolePasswords.central });
  const regional = await provisionDatabase({ superuserUrl, database: templates.regional, layer: 'regional', passwords: secrets.rolePasswords.regional });
  await Promise.all([migrateDatabase(central.owner, centralMigrationsFolder), migrateDatabase(regional.owner, regionalMigrationsFolder)]);
  project.provide('postgres', { superuserUrl, passwords: secrets.rolePasswords, templates });
  console.log(`test PostgreSQL ready on port ${cluster.port} in ${Date.now() - started} ms`);

  return async () => {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
