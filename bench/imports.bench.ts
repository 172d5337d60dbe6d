/**
 * CSV import benchmark: a products CSV of BENCH_IMPORT_ROWS rows (default 50,000) imported by a
 * regional Keel composed in this process (`keel start`'s composition, KEEL_ROLE=regional, on its
 * own embedded PostgreSQL, local storage in a temporary directory, the PostgreSQL queue):
 *
 * 1. baseline: the same rows written by plain multi-row INSERTs of IMPORT_BATCH_SIZE rows, one
 *    tenant transaction each, from an array already in memory — no CSV, no queue, no checks;
 * 2. the import: upload through the local driver's signed URL, then from "uploaded" to `done`:
 *    streamed through csv-parse, validated, inserted in batches with their checkpoint,
 *    `product.created` and `import.progressed` events, one queue delivery per batch.
 *
 * For each: rows per second, and the process's RSS and heap high-water marks during the run
 * (sampled every 20 ms) above the level just before it, and the heap still used after a full
 * collection once it ends (retained). Writes bench/results/imports.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import { composeKeel } from '@keel/cli/compose';
import { ManualClock, createLogReporter, createLogger, findFreePort, loadConfig, systemClock } from '@keel/kernel';
import { provisionTenantRow } from '../test/support/keel.ts';
import { startTestTokenIssuer } from '../test/support/token-issuer.ts';
import { machine, printTable, startBenchPostgres, writeResults } from './support.ts';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
// A full collection before and after each run: what stays is retained, the rest of a peak was garbage.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
const logger = createLogger({ level: 'error', destination: process.stderr });

interface Run {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  rssAboveStartMiB: number;
  heapAboveStartMiB: number;
  /** Heap after the run and a full collection, above the start: what the run left retained. */
  heapRetainedMiB: number;
}

/** High-water marks of RSS and heap while `work` runs. */
async function measured(rows: number, work: () => Promise<void>): Promise<Run> {
  collectGarbage();
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 20);
  const began = performance.now();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - began) / 1000;
  collectGarbage();
  const retained = process.memoryUsage().heapUsed - start.heapUsed;
  const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  return {
    rows,
    seconds: Math.round(seconds * 100) / 100,
    rowsPerSecond: Math.round(rows / seconds),
    peakRssMiB: mib(peakRss),
    peakHeapMiB: mib(peakHeap),
    rssAboveStartMiB: mib(peakRss - start.rss),
    heapAboveStartMiB: mib(peakHeap - start.heapUsed),
    heapRetainedMiB: mib(retained),
  };
}

function productsCsv(rows: number): string {
  const lines = ['sku,name,price_minor'];
  for (let index = 1; index <= rows; index++) lines.push(`SKU-${index},Product number ${index},${100 + (index % 10_000)}`);
  return `${lines.join('\n')}\n`;
}

const postgres = await startBenchPostgres();
const storageDir = await mkdtemp(path.join(os.tmpdir(), 'keel-bench-storage-'));
const issuer = await startTestTokenIssuer(new ManualClock(new Date()));
const config = loadConfig({
  NODE_ENV: 'test',
  KEEL_ROLE: 'regional',
  KEEL_SEED: 'false',
  CENTRAL_JWKS_URL: issuer.jwksUrl,
  // No central: the feed and usage reports of the region fail quietly; the import needs neither.
  CENTRAL_URL: `http://127.0.0.1:${await findFreePort()}`,
  KEEL_REGION_CREDENTIAL: `bench-credential-${randomUUID()}`,
  FEED_RETRY_DELAY_MS: '60000',
  USAGE_REPORT_INTERVAL_MS: '600000',
  STORAGE_DIR: storageDir,
  IMPORT_MAX_BYTES: String(64 * 2 ** 20),
  // Keel's default unless the run says otherwise.
  IMPORT_BATCH_SIZE: process.env.IMPORT_BATCH_SIZE,
});
const keel = await composeKeel({ config, logger, reporter: createLogReporter(logger), clock: systemClock, regionalDatabase: postgres.regional });
await keel.app.listen({ host: '127.0.0.1', port: 0 });
await keel.start();
const batch = config.imports.batchSize;
console.log(`imports benchmark: ${ROWS} product rows, IMPORT_BATCH_SIZE ${batch}, local storage, PostgreSQL queue`);

try {
  const csv = productsCsv(ROWS);
  const baselineTenant = randomUUID();
  const importTenant = randomUUID();
  await provisionTenantRow(postgres.regional.app, baselineTenant, 'Baseline');
  await provisionTenantRow(postgres.regional.app, importTenant, 'Import');

  const baseline = await measured(ROWS, () => plainInserts(baselineTenant, csv));
  const imported = await measured(ROWS, () => importThroughKeel(importTenant, csv));

  printTable(
    ['run', 'rows/s', 'seconds', 'peak RSS MiB', 'RSS above start', 'peak heap MiB', 'heap above start', 'heap retained'],
    [
      ['plain batched INSERT (baseline)', baseline],
      ['CSV import through Keel', imported],
    ].map(([name, run]) => {
      const figures = run as Run;
      return [name as string, String(figures.rowsPerSecond), String(figures.seconds), String(figures.peakRssMiB), String(figures.rssAboveStartMiB), String(figures.peakHeapMiB), String(figures.heapAboveStartMiB), String(figures.heapRetainedMiB)];
    }),
  );
  const file = await writeResults('imports', { measuredAt: new Date().toISOString(), machine: machine(), rows: ROWS, batchSize: batch, csvBytes: Buffer.byteLength(csv), baseline, import: imported });
  console.log(`results: ${path.relative(process.cwd(), file)}`);
} finally {
  await keel.close();
  await issuer.close();
  await postgres.stop();
  await rm(storageDir, { recursive: true, force: true });
}

/** The same products as multi-row INSERTs of `batch` rows in tenant transactions (app role, RLS on). */
async function plainInserts(tenantId: string, csv: string): Promise<void> {
  const rows = csv.trimEnd().split('\n').slice(1).map((line) => line.split(','));
  const client = new pg.Client({ connectionString: postgres.regional.app });
  await client.connect();
  try {
    for (let offset = 0; offset < rows.length; offset += batch) {
      const slice = rows.slice(offset, offset + batch);
      await client.query('begin');
      await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
      await client.query(
        `insert into products (tenant_id, sku, name, price_minor) select $1, * from unnest($2::text[], $3::text[], $4::bigint[])`,
        [tenantId, slice.map((row) => row[0]), slice.map((row) => row[1]), slice.map((row) => row[2])],
      );
      await client.query('commit');
    }
  } finally {
    await client.end();
  }
}

/** Request, PUT to the signed URL, "uploaded", then wait for `done`. */
async function importThroughKeel(tenantId: string, csv: string): Promise<void> {
  const authorization = `Bearer ${await issuer.sign({ tenantId, role: 'admin' })}`;
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: string | object, contentType = 'application/json') => {
    const response = await keel.app.inject({ method, url, headers: { authorization, ...(payload === undefined ? {} : { 'content-type': contentType }) }, ...(payload === undefined ? {} : { payload }) });
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json<Record<string, unknown>>();
  };
  const requested = (await call('POST', '/api/v1/imports', { kind: 'products-csv', fileName: 'bench.csv', size: Buffer.byteLength(csv), contentType: 'text/csv' })) as { import: { id: string }; upload: { url: string } };
  await call('PUT', requested.upload.url, csv, 'text/csv');
  await call('POST', `/api/v1/imports/${requested.import.id}/uploaded`);
  for (;;) {
    const current = await call('GET', `/api/v1/imports/${requested.import.id}`);
    if (current.state === 'done') {
      if (current.rowsImported !== ROWS) throw new Error(`imported ${String(current.rowsImported)} rows of ${ROWS}`);
      return;
    }
    if (current.state === 'failed') throw new Error(`the import failed: ${String(current.failureCode)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
