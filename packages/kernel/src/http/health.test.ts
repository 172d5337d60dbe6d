import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { createPool, ping } from '../db/pools.ts';
import { createCapturingReporter } from '../../../../test/support/capture.ts';
import { createLogger } from '../logging/logger.ts';
import { findFreePort } from '../net/free-port.ts';
import { createHttpApp } from './create-http-app.ts';

const logger = createLogger({ level: 'silent' });
const passes = async () => {};
const fails = async () => {
  throw new Error('database did not answer');
};

describe('PLT-006 GET /health', () => {
  it.each([
    { name: 'no checks', checks: [], status: 200, body: { status: 'ok' } },
    { name: 'every check passing', checks: [passes, passes], status: 200, body: { status: 'ok' } },
    { name: 'one check rejecting', checks: [passes, fails], status: 503, body: { status: 'unavailable' } },
    { name: 'every check rejecting', checks: [fails, fails], status: 503, body: { status: 'unavailable' } },
  ])('answers $status with $name', async ({ checks, status, body }) => {
    const response = await healthOf(checks);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual(body);
  });

  describe('with real databases', () => {
    let keel: TestKeel;
    let reachable: pg.Pool;
    let unreachable: pg.Pool;

    beforeAll(async () => {
      keel = await startTestKeel();
      reachable = createPool(keel.databases.regional.app, { applicationName: 'keel-test-reachable', logger, max: 1 });
      unreachable = createPool(`postgres://keel_app:secret@127.0.0.1:${await findFreePort()}/keel`, { applicationName: 'keel-test-unreachable', logger, max: 1 });
    });

    afterAll(async () => {
      await reachable?.end();
      await unreachable?.end();
      await keel?.stop();
    });

    it('answers 200 {"status":"ok"} when the central and regional databases answer', async () => {
      const response = await keel.app.inject({ method: 'GET', url: '/health' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
      // one ping per pool of the layers served: central (app), regional (app and worker)
      expect(response.headers['x-query-count']).toBe('3');
    });

    it('answers 503 {"status":"unavailable"} when one database does not answer', async () => {
      const response = await healthOf([() => ping(reachable), () => ping(unreachable)]);
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ status: 'unavailable' });
    });
  });
});

async function healthOf(healthChecks: ReadonlyArray<() => Promise<void>>) {
  const { reporter } = createCapturingReporter();
  const app = createHttpApp({ logger, reporter, bodyLimitBytes: 1024, exposeQueryCount: true, queryRepeatWarnThreshold: 5, healthChecks });
  try {
    return await app.inject({ method: 'GET', url: '/health' });
  } finally {
    await app.close();
  }
}
