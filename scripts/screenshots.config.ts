import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * `npm run screenshots` (scripts/screenshots.ts): the browser tests' PostgreSQL, Keel and Chromium,
 * run apart from `npm test`. One file, one worker; the global setup stops PostgreSQL at the end.
 */
export default defineConfig({
  test: {
    root: path.join(import.meta.dirname, '..'),
    include: ['scripts/screenshots.ts'],
    globalSetup: ['test/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
