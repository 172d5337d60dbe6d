import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCapturingReporter } from '../../../../../test/support/capture.ts';
import { startTestKeel, type TestKeel } from '../../../../../test/support/keel.ts';
import { createLogger } from '../../logging/logger.ts';
import { createHttpApp, type HttpApp, type RegisteredRoute } from '../create-http-app.ts';
import { keelApiRoutes, missingSchemas, noBody } from './route-schemas.ts';

/** The API reference is generated from the route schemas: a route without them would be documented as taking and answering anything. */

const thing = z.object({ id: z.uuid() });
const thingParams = z.strictObject({ thingId: z.uuid() });

describe('PLT-021 the schema check', () => {
  it.each<{ route: string; define: (app: HttpApp) => void; missing: RegExp }>([
    { route: 'a POST without a body schema', define: (app) => app.post('/api/v1/things', { schema: { response: { 201: thing } } }, async () => ({ id: '' })), missing: /no body schema/ },
    { route: 'a PATCH without a body schema', define: (app) => app.patch('/api/v1/things/:thingId', { schema: { params: thingParams, response: { 200: thing } } }, async () => ({ id: '' })), missing: /no body schema/ },
    { route: 'a path parameter without a params schema', define: (app) => app.get('/api/v1/things/:thingId', { schema: { response: { 200: thing } } }, async () => ({ id: '' })), missing: /no params schema for :thingId/ },
    { route: 'a params schema naming other parameters', define: (app) => app.get('/api/v1/things/:id', { schema: { params: thingParams, response: { 200: thing } } }, async () => ({ id: '' })), missing: /params schema names thingId, the URL id/ },
    { route: 'a handler reading the query without a querystring schema', define: (app) => app.get('/api/v1/things', { schema: { response: { 200: z.unknown() } } }, async (request) => request.query), missing: /reads the query/ },
    { route: 'no response schema', define: (app) => app.get('/api/v1/things', async () => ({ id: '' })), missing: /no 2xx response schema/ },
    { route: 'only an error response schema', define: (app) => app.get('/api/v1/things', { schema: { response: { 404: z.object({ code: z.string() }) } } }, async () => ({ code: 'THING_NOT_FOUND' })), missing: /no 2xx response schema/ },
  ])('PLT-021 flags $route', async ({ define, missing }) => {
    const [route] = await routesOf(define);
    expect(missingSchemas(route!).join('\n')).toMatch(missing);
  });

  it('PLT-021 passes complete routes, a POST that declares noBody among them', async () => {
    const routes = await routesOf((app) => {
      app.get('/api/v1/things', { schema: { querystring: z.strictObject({ q: z.string() }), response: { 200: z.array(thing) } } }, async (request) => [{ id: request.query.q }]);
      app.get('/api/v1/things/:thingId', { schema: { params: thingParams, response: { 200: thing } } }, async (request) => ({ id: request.params.thingId }));
      app.post('/api/v1/things/:thingId/archive', { schema: { params: thingParams, body: noBody, response: { 204: z.null() } } }, async (_request, reply) => reply.status(204).send(null));
    });
    expect(routes.map((route) => ({ route: `${route.method} ${route.url}`, missing: missingSchemas(route) }))).toEqual(routes.map((route) => ({ route: `${route.method} ${route.url}`, missing: [] })));
  });

  it('PLT-021 noBody takes a request without a body and refuses one with a field', async () => {
    const app = bareApp();
    app.post('/api/v1/things/:thingId/archive', { schema: { params: thingParams, body: noBody, response: { 204: z.null() } } }, async (_request, reply) => reply.status(204).send(null));
    const url = `/api/v1/things/${crypto.randomUUID()}/archive`;
    expect((await app.inject({ method: 'POST', url })).statusCode).toBe(204);
    expect((await app.inject({ method: 'POST', url, payload: {} })).statusCode).toBe(204);
    const withField = await app.inject({ method: 'POST', url, payload: { archived: true } });
    expect({ status: withField.statusCode, body: withField.json() }).toEqual({
      status: 400,
      body: { code: 'VALIDATION_FAILED', requestId: expect.any(String), details: [{ path: 'body.archived', rule: 'unrecognized_key' }] },
    });
    await app.close();
  });
});

describe('PLT-021 every Keel route declares its schemas', () => {
  let keel: TestKeel;

  beforeAll(async () => {
    keel = await startTestKeel();
  });

  afterAll(async () => {
    await keel?.stop();
  });

  it('PLT-021 every route registered under /api/v1 and /api/central declares its body, path parameters, query and a 2xx response', () => {
    const routes = keelApiRoutes(keel.app.registeredRoutes);
    expect(routes.map((route) => `${route.method} ${route.url}`)).toEqual(expect.arrayContaining(['GET /api/v1/stores', 'POST /api/central/organizations']));
    const incomplete = routes.flatMap((route) => {
      const missing = missingSchemas(route);
      return missing.length > 0 ? [`${route.method} ${route.url}: ${missing.join('; ')}`] : [];
    });
    expect(incomplete).toEqual([]);
  });
});

function bareApp(): HttpApp {
  const { reporter } = createCapturingReporter();
  return createHttpApp({ logger: createLogger({ level: 'silent' }), reporter, bodyLimitBytes: 1024, exposeQueryCount: false, queryRepeatWarnThreshold: 5, healthChecks: [] });
}

async function routesOf(define: (app: HttpApp) => void): Promise<RegisteredRoute[]> {
  const app = bareApp();
  define(app);
  await app.ready();
  const routes = keelApiRoutes(app.registeredRoutes);
  await app.close();
  return routes;
}
