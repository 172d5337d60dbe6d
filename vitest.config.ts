import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two projects on one PostgreSQL cluster (started once by test/global-setup.ts):
 * - `parallel`: unit and integration tests, at most 2 workers (the machine has 2 cores);
 * - `serial`: multi-process, load-balancer and browser suites (`*.serial.test.ts`, and every test
 *   under e2e/: Playwright driving Chromium), one file at a time, after the parallel group.
 */
const ignored = [...configDefaults.exclude, '**/fixtures/**', '.data/**'];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ['packages/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...ignored, '**/*.serial.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'serial',
          include: ['packages/**/*.serial.test.ts', 'test/**/*.serial.test.ts', 'e2e/**/*.test.ts'],
          exclude: ignored,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
