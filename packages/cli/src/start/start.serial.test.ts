import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrlsFor, findFreePort, rolesOf, systemClock, type ClusterSecrets, type DatabaseUrls } from '@keel/kernel';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { provisionTenantRow } from '../../../../test/support/keel.ts';
import { killIfRunning, repoRoot, spawnProcessGroup, type GroupProcess } from '../../../../test/support/processes.ts';
import { startTestTokenIssuer, type TestTokenIssuer } from '../../../../test/support/token-issuer.ts';
import { regionalDatabaseName } from '../db/databases.ts';

// `npm start`, the README's start command, as a real process group (npm, its shell, node); the
// PostgreSQL that Keel launches has a group of its own. Signals go to the whole npm group, as Ctrl-C
// in a terminal does.
const LISTENING = '"msg":"Keel is listening"';
const DRAINING = '"msg":"shutting down: draining requests"';
const INITIALISING = '"msg":"initialising embedded PostgreSQL"';

describe('PLT-011 npm start, stopped by a signal, then started again on the same data', () => {
  let dataDir: string;
  let keel: KeelProcess | undefined;
  let firstKeyId: string;
  let sessionCookie: string;
  const email = `owner-${randomUUID()}@keel.test`;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'keel-start-'));
  });
  afterAll(() => cleanUp(keel, dataDir));

  it('PLT-011 the first start initialises the data directory and answers GET /health with 200 {"status":"ok"}', async () => {
    keel = await startKeel(dataDir);
    await expectHealthy(keel);
    expect(keel.stdoutLines().filter((line) => line.includes(INITIALISING))).toHaveLength(1);
    firstKeyId = await jwksKeyId(keel);
    sessionCookie = await signUp(keel, email);
  });

  it('PLT-011 SIGTERM to the process group stops Keel and leaves no postgres process of its data directory', async () => {
    await signalAndExpectCleanStop(keel!, dataDir, 'SIGTERM');
  });

  it('PLT-011 a second start reuses the data: no initialisation, healthy, the same signing key', async () => {
    keel = await startKeel(dataDir);
    await expectHealthy(keel);
    expect(keel.stdoutLines().filter((line) => line.includes(INITIALISING))).toEqual([]);
    expect(await jwksKeyId(keel)).toBe(firstKeyId);
  });

  it('PLT-014 a command run beside a running Keel refuses to take its PostgreSQL over', async () => {
    const command = await runKeelCommand(['keys', 'rotate'], { KEEL_DATA_DIR: dataDir });
    expect(command.code).not.toBe(0);
    expect(command.stderr).toContain('is in use by Keel process');
    await expectHealthy(keel!);
  });

  it('PLT-011 a second start keeps the sessions of the first', async () => {
    const response = await fetch(`${keel!.url}/api/auth/get-session`, { headers: { cookie: sessionCookie } });
    expect(await response.json()).toMatchObject({ user: { email } });
  });

  it('PLT-011 SIGINT (Ctrl-C) to the process group stops it the same way', async () => {
    await signalAndExpectCleanStop(keel!, dataDir, 'SIGINT');
  });
});

describe('PLT-014 a start after Keel was killed outright', () => {
  let dataDir: string;
  let keel: KeelProcess | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'keel-killed-'));
  });
  afterAll(() => cleanUp(keel, dataDir));

  it('PLT-014 stops the PostgreSQL the killed run left behind, then serves on the same data', async () => {
    keel = await startKeel(dataDir);
    const keyId = await jwksKeyId(keel);
    keel.kill();
    await keel.closed;
    const leftBehind = await postgresOf(dataDir);
    expect(leftBehind).not.toEqual([]);

    keel = await startKeel(dataDir);
    await expectHealthy(keel);
    expect(await jwksKeyId(keel)).toBe(keyId);
    const warnings = keel.stdoutLines().flatMap(parseJsonLine).filter((line) => line.msg === 'stopping the PostgreSQL a previous run left behind');
    expect(warnings).toHaveLength(1);
    const survivors = (await postgresOf(dataDir)).map(({ pid }) => pid);
    expect(survivors).not.toContain(leftBehind.find(({ commandLine }) => commandLine.includes(' -D '))?.pid);
  });
});

describe('PLT-015 npm start with database URLs in the environment', () => {
  let dataDir: string;
  let databases: TestDatabases;
  let keel: KeelProcess | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'keel-external-'));
    databases = await createTestDatabases();
  });
  afterAll(async () => {
    await cleanUp(keel, dataDir);
    await databases.drop();
  });

  it('PLT-015 serves on those databases and starts no PostgreSQL of its own', async () => {
    // As a deployment on external databases would: without a webhook key Keel warns that sealed secrets die with the process.
    keel = await startKeel(dataDir, { ...databaseEnvironment('CENTRAL', databases.central), ...databaseEnvironment('REGIONAL', databases.regional), WEBHOOK_SECRET_KEY: 'w'.repeat(32) });
    await expectHealthy(keel);
    expect(await readdir(dataDir)).toEqual([]);
    expect(await postgresOf(dataDir)).toEqual([]);
    keel.signal('SIGTERM');
    await expectCleanStop(keel, dataDir, 'SIGTERM');
  });
});

describe('PLT-011 draining on shutdown', () => {
  let dataDir: string;
  let issuer: TestTokenIssuer;
  let keel: KeelProcess | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'keel-drain-'));
    issuer = await startTestTokenIssuer(systemClock);
  });
  afterAll(async () => {
    await issuer.close();
    await cleanUp(keel, dataDir);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'PLT-011 a request in flight when %s reaches the process group gets its answer before Keel exits',
    async (signal) => {
      keel = await startKeel(dataDir, { CENTRAL_JWKS_URL: issuer.jwksUrl });
      const tenantId = randomUUID();
      await provisionTenantRow(await regionalAppUrl(dataDir), tenantId, 'Drain Co');
      const name = `Opened during ${signal}`;
      const inFlight = await openCreateStoreRequest(keel, `Bearer ${await issuer.sign({ tenantId, role: 'owner' })}`);

      keel.signal(signal);
      await keel.waitForLine(DRAINING);
      const response = await inFlight.send({ name });

      expect(response).toMatchObject({ status: 201 });
      expect(JSON.parse(response.body)).toMatchObject({ name, version: 1 });
      await expectCleanStop(keel, dataDir, signal);
    },
  );
});

describe('PLT-010 npm start with an invalid configuration', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'keel-config-'));
  });
  afterAll(() => cleanUp(undefined, dataDir));

  it.each([
    ['PORT', { PORT: 'abc' }],
    ['CENTRAL_JWKS_URL', { KEEL_ROLE: 'regional' }],
  ])('PLT-010 stops with one line naming %s, before starting PostgreSQL', async (variable, env) => {
    const keel = spawnKeel({ ...env, KEEL_DATA_DIR: dataDir });
    const exit = await keel.closed;

    expect(exit.code).not.toBe(0);
    const lines = keel.stderr().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(await readdir(dataDir)).toEqual([]);
    expect(await postgresOf(dataDir)).toEqual([]);
  });
});

describe('npm scripts', () => {
  it('run node v24, the pinned devDependency', async () => {
    const child = spawn('npm', ['exec', '--', 'node', '-v'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(0);
    expect(output.trim()).toMatch(/^v24\./);
  });
});

interface KeelProcess extends GroupProcess {
  readonly url: string;
}

/** `npm start` as a process group of its own: npm, its shell and node. */
function spawnKeel(env: Record<string, string>, port = 0): KeelProcess {
  const keel = spawnProcessGroup('npm', ['start'], { env: { LOG_LEVEL: 'info', PORT: String(port), ...env }, label: 'npm start' });
  return { ...keel, url: `http://127.0.0.1:${port}` };
}

async function startKeel(dataDir: string, env: Record<string, string> = {}): Promise<KeelProcess> {
  const keel = spawnKeel({ ...env, KEEL_DATA_DIR: dataDir }, await findFreePort());
  await keel.waitForLine(LISTENING);
  return keel;
}

/** Runs a `keel` command to its end (node v24 from node_modules/.bin). */
function runKeelCommand(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['exec', '--', 'node', 'packages/cli/src/main.ts', ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

/** Signs up through central's accounts API; resolves with the session cookie (`name=value`). */
async function signUp(keel: KeelProcess, email: string): Promise<string> {
  const response = await fetch(`${keel.url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: keel.url },
    body: JSON.stringify({ email, password: 'correct horse battery staple', name: 'Owner' }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie().find((line) => line.split('=')[0]!.endsWith('session_token'));
  expect(cookie).toBeDefined();
  return cookie!.split(';')[0]!;
}

async function expectHealthy(keel: KeelProcess): Promise<void> {
  const response = await fetch(`${keel.url}/health`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
}

async function jwksKeyId(keel: KeelProcess): Promise<string> {
  const response = await fetch(`${keel.url}/api/central/jwks.json`);
  expect(response.status).toBe(200);
  const { keys } = (await response.json()) as { keys: Array<{ kid: string }> };
  expect(keys.length).toBeGreaterThan(0);
  return keys[0]!.kid;
}

async function signalAndExpectCleanStop(keel: KeelProcess, dataDir: string, signal: NodeJS.Signals): Promise<void> {
  expect(await postgresOf(dataDir)).not.toEqual([]);
  keel.signal(signal);
  await expectCleanStop(keel, dataDir, signal);
}

/** After `signal` reached the group: Keel logged "stopped" last and no warning or error, and its PostgreSQL is gone. */
async function expectCleanStop(keel: KeelProcess, dataDir: string, signal: NodeJS.Signals): Promise<void> {
  const exit = await keel.closed;

  // npm gets the signal too and ends by it, which hides node's exit code: Keel's outcome is its log.
  expect([{ code: 0, signal: null }, { code: null, signal }]).toContainEqual(exit);
  const logs = keel.stdoutLines().flatMap(parseJsonLine);
  expect(logs.at(-1), keel.stdoutLines().join('\n')).toMatchObject({ msg: 'stopped' });
  expect(logs.filter((line) => Number(line.level) >= 40)).toEqual([]);
  expect(keel.stderr()).toBe('');
  expect(await postgresOf(dataDir)).toEqual([]);
}

function databaseEnvironment(layer: 'CENTRAL' | 'REGIONAL', urls: DatabaseUrls): Record<string, string> {
  return { [`${layer}_DATABASE_OWNER_URL`]: urls.owner, [`${layer}_DATABASE_APP_URL`]: urls.app, [`${layer}_DATABASE_WORKER_URL`]: urls.worker };
}

/** A POST /api/v1/stores whose headers Keel has accepted (it answered 100 Continue) and whose body is not sent yet. */
async function openCreateStoreRequest(keel: KeelProcess, authorization: string) {
  const request = httpRequest(`${keel.url}/api/v1/stores`, {
    method: 'POST',
    agent: false,
    headers: { authorization, 'content-type': 'application/json', expect: '100-continue' },
  });
  const failed = once(request, 'error').then(([error]) => Promise.reject(error as Error));
  failed.catch(() => {}); // raced below; an error after the response is not this test's concern
  await Promise.race([once(request, 'continue'), failed]);
  return {
    async send(body: unknown): Promise<{ status: number; body: string }> {
      request.end(JSON.stringify(body));
      const [response] = (await Promise.race([once(request, 'response'), failed])) as [IncomingMessage];
      let text = '';
      for await (const chunk of response) text += String(chunk);
      return { status: response.statusCode!, body: text };
    },
  };
}

/** The regional app role's URL on the embedded cluster, from the files Keel keeps in its data directory. */
async function regionalAppUrl(dataDir: string): Promise<string> {
  const secrets = JSON.parse(await readFile(path.join(dataDir, 'secrets.json'), 'utf8')) as ClusterSecrets;
  // postmaster.pid: pid, data directory, start time, port, …
  const port = (await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[3];
  const cluster = `postgres://127.0.0.1:${port}/postgres`;
  return databaseUrlsFor(cluster, regionalDatabaseName('local'), rolesOf('regional'), secrets.rolePasswords.regional).app;
}

/** Running processes whose command line mentions `dataDir` (the postmaster runs with `-D <dataDir>/postgres`). */
async function postgresOf(dataDir: string): Promise<Array<{ pid: number; commandLine: string }>> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const processes = await Promise.all(
    pids.map(async (pid) => ({ pid: Number(pid), commandLine: (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ').trim() })),
  );
  return processes.filter(({ commandLine }) => commandLine.includes('postgres') && commandLine.includes(dataDir));
}

/** Teardown, also after a failed test: the npm process group, then PostgreSQL (it has a process group of its own). */
async function cleanUp(keel: KeelProcess | undefined, dataDir: string): Promise<void> {
  keel?.kill();
  for (const { pid } of await postgresOf(dataDir)) killIfRunning(pid);
  await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
}

function parseJsonLine(line: string): Array<Record<string, unknown>> {
  if (!line.startsWith('{')) return [];
  return [JSON.parse(line) as Record<string, unknown>];
}
