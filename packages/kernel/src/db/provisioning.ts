import pg from 'pg';
import type { DatabaseUrls } from '../config/config.ts';

/**
 * The three roles of every Keel database. Names are fixed per layer (migrations grant to them by
 * name); passwords are per installation.
 */
export interface LayerRoles {
  owner: string;
  app: string;
  worker: string;
}

export type Layer = 'central' | 'regional';

export function rolesOf(layer: Layer): LayerRoles {
  return { owner: `keel_${layer}_owner`, app: `keel_${layer}_app`, worker: `keel_${layer}_worker` };
}

export interface ProvisionRequest {
  /** A superuser connection to the cluster (any database). */
  superuserUrl: string;
  database: string;
  layer: Layer;
  passwords: LayerRoles;
  /** Clone this database instead of creating an empty one (test templates). */
  template?: string;
}

/**
 * Creates (idempotently) the layer's roles and a database owned by its owner role, reachable only
 * by the three roles. What lives inside is the migrations' business. Production databases get the
 * same roles from infrastructure code; this is for the embedded cluster and tests.
 */
export async function provisionDatabase(request: ProvisionRequest): Promise<DatabaseUrls> {
  await ensureLayerRoles(request.superuserUrl, request.layer, request.passwords);
  return createLayerDatabase(request);
}

/** Creates the layer's three login roles, or resets their passwords and attributes. */
export async function ensureLayerRoles(superuserUrl: string, layer: Layer, passwords: LayerRoles): Promise<void> {
  const roles = rolesOf(layer);
  await withClient(superuserUrl, async (client) => {
    for (const key of ['owner', 'app', 'worker'] as const) await ensureLoginRole(client, roles[key], passwords[key]);
  });
}

/** A database owned by the layer's owner role and reachable only by its three roles (which must exist). */
export async function createLayerDatabase(request: ProvisionRequest): Promise<DatabaseUrls> {
  const roles = rolesOf(request.layer);
  const database = pg.escapeIdentifier(request.database);
  await withClient(request.superuserUrl, async (client) => {
    const exists = await client.query('select 1 from pg_database where datname = $1', [request.database]);
    if (exists.rowCount === 0) {
      const template = request.template ? ` template ${pg.escapeIdentifier(request.template)}` : '';
      await client.query(`create database ${database} owner ${pg.escapeIdentifier(roles.owner)}${template}`);
    }
    await client.query(`revoke all on database ${database} from public`);
    await client.query(`grant connect on database ${database} to ${[roles.owner, roles.app, roles.worker].map((role) => pg.escapeIdentifier(role)).join(', ')}`);
  });
  return databaseUrlsFor(request.superuserUrl, request.database, roles, request.passwords);
}

export async function dropDatabase(superuserUrl: string, database: string): Promise<void> {
  await withClient(superuserUrl, (client) => client.query(`drop database if exists ${pg.escapeIdentifier(database)} with (force)`));
}

/** One connection for `work`, closed afterwards, whatever happens. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function databaseUrlsFor(clusterUrl: string, database: string, roles: LayerRoles, passwords: LayerRoles): DatabaseUrls {
  const urlFor = (role: string, password: string) => {
    const url = new URL(clusterUrl);
    url.username = role;
    url.password = password;
    url.pathname = `/${database}`;
    return url.toString();
  };
  return { owner: urlFor(roles.owner, passwords.owner), app: urlFor(roles.app, passwords.app), worker: urlFor(roles.worker, passwords.worker) };
}

async function ensureLoginRole(client: pg.Client, role: string, password: string): Promise<void> {
  const identifier = pg.escapeIdentifier(role);
  const literal = pg.escapeLiteral(password);
  await client.query(`
    do $$ begin
      create role ${identifier} login password ${literal} nosuperuser nocreatedb nocreaterole nobypassrls;
    exception when duplicate_object or unique_violation then
      alter role ${identifier} login password ${literal} nosuperuser nocreatedb nocreaterole nobypassrls;
    end $$`);
}
