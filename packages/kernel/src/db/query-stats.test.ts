import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { createHttpApp, type HttpApp } from '../http/create-http-app.ts';
import type { Logger } from '../logging/logger.ts';
import { createCapturingLogger, createCapturingReporter } from '../../../../test/support/capture.ts';
import { createDatabase, createPool } from './pools.ts';
import { QueryStats, statementShape } from './query-stats.ts';

const REPEAT_THRESHOLD = 5;
const REPEAT_WARNING = 'statement repeated within one request (N+1?)';

describe('statementShape', () => {
  it.each([
    { sql: 'select * from stores where id = 7', shape: 'select * from stores where id = ?' },
    { sql: "select * from stores where name = 'it''s' and code = 'b'", shape: 'select * from stores where name = ? and code = ?' },
    { sql: 'select $1::int, $12::text', shape: 'select ?::int, ?::text' },
    { sql: 'select 3.14 from t2 limit 10', shape: 'select ? from t2 limit ?' },
    { sql: '  select\n   *\tfrom  stores  ', shape: 'select * from stores' },
  ])('folds $sql', ({ sql, shape }) => {
    expect(statementShape(sql)).toBe(shape);
  });

  it('gives statements that differ only in literals one shape', () => {
    expect(statementShape("select * from t where id = 7 and name = 'a'")).toBe(statementShape("select * from t where id = 8 and name = 'b'"));
    expect(statementShape('select * from t where id = 7')).not.toBe(statementShape('select * from u where id = 7'));
  });
});

describe('QueryStats', () => {
  it('counts every statement and calls onRepeat once per shape, when it first runs more than the threshold', () => {
    const repeats: [string, number][] = [];
    const stats = new QueryStats({ repeatThreshold: 2, onRepeat: (shape, count) => repeats.push([shape, count]) });
    for (const id of [1, 2, 3, 4, 5]) stats.record(`select * from t where id = ${id}`);
    stats.record('select * from u');
    stats.record('select * from u');
    expect(stats.total).toBe(7);
    expect(repeats).toEqual([['select * from t where id = ?', 3]]);
  });
});

describe('query counting over HTTP', () => {
  const { logger, logs } = createCapturingLogger();
  let pool: pg.Pool;
  let counted: HttpApp;
  let uncounted: HttpApp;

  beforeAll(async () => {
    pool = createPool(inject('postgres').superuserUrl, { applicationName: 'keel-test-query-stats', logger, max: 2 });
    counted = createAppWithRepeatRoute({ logger, pool, exposeQueryCount: true });
    uncounted = createAppWithRepeatRoute({ logger, pool, exposeQueryCount: false });
    await Promise.all([counted.ready(), uncounted.ready()]);
  });

  afterAll(async () => {
    await counted?.close();
    await uncounted?.close();
    await pool?.end();
  });

  it('PLT-008 PLT-007 warns once, naming the statement, when one shape runs more than the threshold, and counts every statement', async () => {
    const response = await counted.inject({ method: 'GET', url: '/repeat/7' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-query-count']).toBe('7');
    expect(repeatWarnings(logs, response.headers['x-request-id'])).toEqual([
      expect.objectContaining({ level: 40, msg: REPEAT_WARNING, statement: 'select ?::int', count: REPEAT_THRESHOLD + 1 }),
    ]);
  });

  it('PLT-008 PLT-007 does not warn when a shape runs exactly the threshold', async () => {
    const response = await counted.inject({ method: 'GET', url: `/repeat/${REPEAT_THRESHOLD}` });
    expect(response.headers['x-query-count']).toBe(String(REPEAT_THRESHOLD));
    expect(repeatWarnings(logs, response.headers['x-request-id'])).toEqual([]);
  });

  it.each([
    { through: 'pool.query', route: 'repeat', extra: 0 },
    { through: 'a transaction', route: 'repeat-in-transaction', extra: 2 },
  ])('PLT-007 counts each request on its own when concurrent requests wait for the pool ($through)', async ({ route, extra }) => {
    const counts = [1, 2, 3, 4, 5, 6];
    const responses = await Promise.all(counts.map((times) => counted.inject({ method: 'GET', url: `/${route}/${times}` })));
    expect(responses.map((response) => response.headers['x-query-count'])).toEqual(counts.map((times) => String(times + extra)));
  });

  it('leaves x-query-count out when exposeQueryCount is false', async () => {
    const response = await uncounted.inject({ method: 'GET', url: '/repeat/2' });
    expect(response.statusCode).toBe(200);
    expect(response.headers).not.toHaveProperty('x-query-count');
    expect(response.headers['x-request-id']).toBeDefined();
  });
});

function createAppWithRepeatRoute(options: { logger: Logger; pool: pg.Pool; exposeQueryCount: boolean }): HttpApp {
  const { reporter } = createCapturingReporter();
  const app = createHttpApp({
    logger: options.logger,
    reporter,
    bodyLimitBytes: 1024,
    exposeQueryCount: options.exposeQueryCount,
    queryRepeatWarnThreshold: REPEAT_THRESHOLD,
    healthChecks: [],
  });
  const database = createDatabase(options.pool);
  const schema = { params: z.object({ times: z.coerce.number().int().min(0) }) };
  app.get('/repeat/:times', { schema }, async (request) => {
    for (let index = 0; index < request.params.times; index += 1) await options.pool.query('select $1::int', [index]);
    return { ran: request.params.times };
  });
  // begin, the statements, commit
  app.get('/repeat-in-transaction/:times', { schema }, async (request) => {
    await database.transaction(async (tx) => {
      for (let index = 0; index < request.params.times; index += 1) await tx.execute(sql`select ${index}::int`);
    });
    return { ran: request.params.times };
  });
  return app;
}

function repeatWarnings(logs: Record<string, unknown>[], requestId: unknown): Record<string, unknown>[] {
  return logs.filter((line) => line.msg === REPEAT_WARNING && line.requestId === requestId);
}
