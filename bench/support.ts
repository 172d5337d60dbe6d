/** What the benchmarks share: their own PostgreSQL, figures, the table and the results file. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, migrateDatabase, provisionDatabase, startEmbeddedCluster, type DatabaseUrls } from '@keel/kernel';
import { regionalMigrationsFolder } from '@keel/regional';

export const benchDir = path.dirname(fileURLToPath(import.meta.url));

export interface BenchPostgres {
  regional: DatabaseUrls;
  /** The cluster's superuser on the regional database (counts across tenants). */
  regionalSuperuserUrl: string;
  stop(): Promise<void>;
}

/** An embedded PostgreSQL of the benchmark's own, in a temporary directory, with a migrated regional database. */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'keel-bench-pg-'));
  const cluster = await startEmbeddedCluster({ dataDir, logger: createLogger({ level: 'silent' }) });
  const database = 'keel_bench_regional';
  const regional = await provisionDatabase({ superuserUrl: cluster.superuserUrl, database, layer: 'regional', passwords: cluster.secrets.rolePasswords.regional });
  await migrateDatabase(regional.owner, regionalMigrationsFolder);
  const superuser = new URL(cluster.superuserUrl);
  superuser.pathname = `/${database}`;
  return {
    regional,
    regionalSuperuserUrl: superuser.toString(),
    async stop() {
      await cluster.stop();
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/** Nearest-rank percentile of `values` (0 < p ≤ 100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Prints rows as an aligned plain-text table. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** The machine the figures come from, for the results file. */
export function machine(): Record<string, unknown> {
  return { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30) };
}

/** Writes `bench/results/<name>.json`; returns its path. */
export async function writeResults(name: string, results: unknown): Promise<string> {
  const file = path.join(benchDir, 'results', `${name}.json`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
