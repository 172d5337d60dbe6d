/**
 * `npm run bench`: runs every bench/*.bench.ts in turn, each in a Node process of its own, and
 * exits non-zero if any failed. `npm run bench -- messaging` runs only the benchmarks whose file
 * name contains one of the words given.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { benchDir } from './support.ts';

const filters = process.argv.slice(2);
const benches = (await readdir(benchDir))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (benches.length === 0) throw new Error(`no benchmark in ${benchDir} matches ${filters.join(', ')}`);

const failed: string[] = [];
for (const bench of benches) {
  console.log(`\n▶ ${bench}`);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [path.join(benchDir, bench)], { stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('exit', (exitCode) => resolve(exitCode));
  });
  if (code !== 0) failed.push(bench);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
