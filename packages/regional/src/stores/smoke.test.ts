import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';

let keel: TestKeel;
beforeAll(async () => { keel = await startTestKeel(); });
afterAll(async () => { await keel.stop(); });

it('smoke', async () => {
  const tenant = randomUUID();
  await keel.provisionTenant(tenant);
  const headers = await keel.authorization(tenant);
  const created = await keel.app.inject({ method: 'POST', url: '/api/v1/stores', headers, payload: { name: 'Main' } });
  expect(created.statusCode, created.body).toBe(201);
  const list = await keel.app.inject({ method: 'GET', url: '/api/v1/stores', headers });
  console.log(list.body, list.headers['x-query-count']);
});
