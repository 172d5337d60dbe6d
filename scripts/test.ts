/**
 * `npm test`: the static checks, then every Vitest project; prints the time of each suite and ends
 * with one `N passed, N failed` line. Exits non-zero when any step fails (all steps still run, so
 * one run shows every problem).
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';

interface Step {
  name: string;
  command: string[];
}

const REPORT = '.tmp/vitest-report.json';

const steps: Step[] = [
  { name: 'lint', command: ['eslint', '.'] },
  { name: 'typecheck', command: ['tsc', '-p', 'tsconfig.json'] },
  { name: 'typecheck (web app)', command: ['tsc', '-p', 'packages/web/tsconfig.json'] },
  { name: 'layer rule (dependency-cruiser)', command: ['depcruise', 'packages', '--config', '.dependency-cruiser.cjs'] },
  { name: 'specs check', command: ['node', 'packages/cli/src/main.ts', 'specs', 'check'] },
  { name: 'error catalogue up to date', command: ['node', 'packages/cli/src/main.ts', 'errors', 'catalog', '--check'] },
  { name: 'vitest (parallel, then serial)', command: ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${REPORT}`, ...process.argv.slice(2)] },
];

await mkdir('.tmp', { recursive: true });
const timings: [string, number, boolean][] = [];
for (const step of steps) {
  console.log(`\n▶ ${step.name}`);
  const started = performance.now();
  const ok = await run(step.command);
  timings.push([step.name, performance.now() - started, ok]);
}

const counts = await vitestCounts();
console.log('\nSuite times:');
for (const [name, ms, ok] of timings) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${seconds(ms)}  ${name}`);
console.log('Test files:');
for (const [file, ms] of counts.files) console.log(`       ${seconds(ms)}  ${file}`);
// The static checks count as one test each in the closing line, which CI reads.
const checks = timings.slice(0, -1);
const failedChecks = checks.filter(([, , ok]) => !ok).length;
const passed = counts.passed + checks.length - failedChecks;
const failed = counts.failed + failedChecks;
console.log(`\ntests: ${passed} passed, ${failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
process.exitCode = timings.every(([, , ok]) => ok) ? 0 : 1;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1).padStart(6)} s`;
}

function run([command, ...args]: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command!, args, { stdio: 'inherit' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  /** Files that failed outside any test (a hook, an import): their tests show as skipped. */
  numFailedTestSuites: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; startTime: number; endTime: number }[];
}

async function vitestCounts() {
  try {
    const report = JSON.parse(await readFile(REPORT, 'utf8')) as VitestReport;
    const files = report.testResults
      .map((result): [string, number] => [result.name.replace(`${process.cwd()}/`, ''), result.endTime - result.startTime])
      .sort((a, b) => b[1] - a[1]);
    const failedFilesWithoutFailedTests = report.numFailedTests === 0 ? report.numFailedTestSuites : 0;
    return { passed: report.numPassedTests, failed: report.numFailedTests + failedFilesWithoutFailedTests, skipped: report.numPendingTests + report.numTodoTests, files };
  } catch {
    return { passed: 0, failed: 0, skipped: 0, files: [] };
  }
}
