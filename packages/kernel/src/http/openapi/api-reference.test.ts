import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { validate } from '@readme/openapi-parser';
import type { InjectOptions } from 'fastify';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeKeel, type ComposedKeel } from '@keel/cli/compose';
import { createCapturingLogger, createCapturingReporter } from '../../../../../test/support/capture.ts';
import { startTestKeel, type TestKeel } from '../../../../../test/support/keel.ts';
import { loadConfig } from '../../config/config.ts';
import { createLogger } from '../../logging/logger.ts';
import { createHttpApp, type HttpApp } from '../create-http-app.ts';
import { API_DOCS_PATH, OPENAPI_DOCUMENT_PATH, registerApiReference } from './api-reference.ts';
import { ERROR_SCHEMA_REF } from './error-responses.ts';
import { operationsOf, type JsonSchema, type OpenApiDocument, type OpenApiOperation } from './openapi-document.ts';
import { keelApiRoutes, noBody } from './route-schemas.ts';

let keel: TestKeel;
let document: OpenApiDocument;

beforeAll(async () => {
  keel = await startTestKeel();
  document = await documentOf(keel.app);
});

afterAll(async () => {
  await keel?.stop();
});

describe('PLT-020 GET /api/openapi.json', () => {
  it('PLT-020 answers a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(document.openapi).toMatch(/^3\.1\./);
  });

  it("PLT-020 documents every route registered under /api/v1 and /api/central, better-auth's routes, and no hidden route", () => {
    const documented = operationKeys(document);
    const registered = keelApiRoutes(keel.app.registeredRoutes).map((route) => `${route.method} ${route.url.replaceAll(/:(\w+)/g, '{$1}')}`);
    expect(documented.filter((key) => !key.includes(' /api/auth/')).toSorted()).toEqual(registered.toSorted());
    expect(documented).toEqual(expect.arrayContaining(['GET /api/v1/stores', 'POST /api/central/organizations', 'POST /api/auth/sign-in/email']));
    // Hidden: /health, the landing page, better-auth's catch-all, the reference's own routes.
    expect(documented.filter((key) => !/^[A-Z]+ \/api\/(v1|central|auth)\/[^*]*$/.test(key))).toEqual([]);
  });

  it.each([
    { role: 'central', documents: ['/api/central/', '/api/auth/'], never: '/api/v1/' },
    { role: 'regional', documents: ['/api/v1/'], never: '/api/central/' },
  ])('PLT-020 a process with KEEL_ROLE=$role documents only the routes of its layer', async ({ role, documents, never }) => {
    const alone = await composeAlone(role);
    try {
      const paths = operationKeys(await documentOf(alone.app)).map((key) => key.split(' ')[1]!);
      for (const prefix of documents) expect(paths.some((path) => path.startsWith(prefix)), prefix).toBe(true);
      expect(paths.filter((path) => path.startsWith(never))).toEqual([]);
    } finally {
      await alone.close();
    }
  });

  it('PLT-020 documents a POST that declares noBody without a request body, and its schemas as written', async () => {
    const bare = await bareAppDocument((app) => {
      app.post('/api/v1/things/:thingId/archive', { schema: { params: z.strictObject({ thingId: z.uuid() }), body: noBody, response: { 200: z.object({ archived: z.boolean() }) } } }, async () => ({ archived: true }));
    });
    const operation = bare.paths?.['/api/v1/things/{thingId}/archive']?.post;
    expect(operation?.requestBody).toBeUndefined();
    expect(operation?.parameters).toEqual([expect.objectContaining({ in: 'path', name: 'thingId', required: true })]);
    expect(operation?.responses?.['200']?.content?.['application/json']?.schema).toMatchObject({ type: 'object', properties: { archived: { type: 'boolean' } } });
  });
});

describe('PLT-022 credentials and errors of every operation', () => {
  it.each([
    { operation: 'GET /api/v1/stores', takes: 'the access token', security: [{ accessToken: [] }] },
    { operation: 'POST /api/v1/orders', takes: 'the access token', security: [{ accessToken: [] }] },
    { operation: 'GET /api/central/organizations', takes: 'the session cookie', security: [{ session: [] }] },
    { operation: 'POST /api/central/tokens', takes: 'the session cookie or an API key', security: [{ session: [] }, { apiKey: [] }] },
    { operation: 'GET /api/central/feed', takes: 'the region credential', security: [{ regionCredential: [] }] },
    { operation: 'GET /api/central/jwks.json', takes: 'nothing', security: [] },
    { operation: 'GET /api/central/regions', takes: 'nothing', security: [] },
    { operation: 'GET /api/central/invitations/preview', takes: 'nothing (the token in its query)', security: [] },
  ])('PLT-022 $operation takes $takes', ({ operation, security }) => {
    expect(operationAt(document, operation).security).toEqual(security);
  });

  it('PLT-022 every /api/v1 operation takes the access token, and every operation names its credential', () => {
    const operations = operationsOf(document);
    expect(operations.filter(({ operation }) => operation.security === undefined).map(keyOf)).toEqual([]);
    const regional = operations.filter(({ path }) => path.startsWith('/api/v1/'));
    expect(regional.filter(({ operation }) => JSON.stringify(operation.security) !== JSON.stringify([{ accessToken: [] }])).map(keyOf)).toEqual([]);
  });

  it("PLT-022 every operation documents its error answers with Keel's error body and only catalogued codes", async () => {
    const catalogued = new Set([...(await readFile(new URL('../../../../../docs/errors.md', import.meta.url), 'utf8')).matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]!));
    const problems = operationsOf(document).flatMap((entry) => {
      const errors = errorResponsesOf(entry.operation);
      const found: string[] = [];
      if (!errors.some(({ status, codes }) => status === '500' && codes?.includes('INTERNAL_ERROR'))) found.push('no 500 INTERNAL_ERROR');
      for (const { status, keelBody, codes } of errors) {
        if (!keelBody) found.push(`${status} without Keel's error body`);
        for (const code of codes ?? []) if (!catalogued.has(code)) found.push(`${status} lists ${code}, not in docs/errors.md`);
      }
      return found.map((problem) => `${keyOf(entry)}: ${problem}`);
    });
    expect(problems).toEqual([]);
  });

  it.each<{ refusal: string; operation: string; request: () => Promise<InjectOptions> }>([
    { refusal: 'no bearer token', operation: 'GET /api/v1/stores', request: async () => ({ method: 'GET', url: '/api/v1/stores' }) },
    { refusal: 'a body missing its field', operation: 'POST /api/v1/stores', request: async () => ({ method: 'POST', url: '/api/v1/stores', headers: await keel.authorization(randomUUID(), { role: 'admin' }), payload: {} }) },
    { refusal: 'a path id that is not a UUID', operation: 'GET /api/v1/stores/{storeId}', request: async () => ({ method: 'GET', url: '/api/v1/stores/seven', headers: await keel.authorization(randomUUID()) }) },
    { refusal: 'an unknown store', operation: 'GET /api/v1/stores/{storeId}', request: async () => ({ method: 'GET', url: `/api/v1/stores/${randomUUID()}`, headers: await keel.authorization(await provisionedTenant()) }) },
    { refusal: 'no session cookie', operation: 'GET /api/central/organizations', request: async () => ({ method: 'GET', url: '/api/central/organizations' }) },
    { refusal: 'an unknown API key', operation: 'POST /api/central/tokens', request: async () => ({ method: 'POST', url: '/api/central/tokens', headers: { authorization: 'Bearer keel_unknown' } }) },
    { refusal: 'no region credential', operation: 'GET /api/central/feed', request: async () => ({ method: 'GET', url: '/api/central/feed?region=local' }) },
    { refusal: 'a wrong password', operation: 'POST /api/auth/sign-in/email', request: async () => authPost('/api/auth/sign-in/email', { email: `${randomUUID()}@keel.test`, password: 'not the password at all' }) },
    { refusal: 'a short password', operation: 'POST /api/auth/sign-up/email', request: async () => authPost('/api/auth/sign-up/email', { email: `${randomUUID()}@keel.test`, password: 'short', name: 'Short' }) },
  ])('PLT-022 $operation refusing $refusal answers a status and code the document lists for it', async ({ operation, request }) => {
    const response = await keel.app.inject(await request());
    const body = response.json<{ code: string; requestId: string }>();
    const documented = errorResponsesOf(operationAt(document, operation)).find(({ status }) => status === String(response.statusCode));
    expect({ status: response.statusCode, keelBody: documented?.keelBody, listed: documented?.codes?.includes(body.code) ?? documented !== undefined }).toEqual({
      status: expect.toSatisfy((status: number) => status >= 400 && status < 500),
      keelBody: true,
      listed: true,
    });
  });

  it('PLT-022 a route whose preHandler names a minimum role documents it, with the refusal below it', async () => {
    const checkRole = Object.assign(async () => {}, { minimumRole: 'admin' });
    const bare = await bareAppDocument((app) => {
      app.get('/api/v1/things', { preHandler: checkRole, schema: { response: { 200: z.object({}) } } }, async () => ({}));
    });
    const operation = bare.paths?.['/api/v1/things']?.get;
    expect(operation?.['x-keel-minimum-role']).toBe('admin');
    expect(errorResponsesOf(operation!).find(({ status }) => status === '403')?.codes).toEqual(['FORBIDDEN_ROLE']);
  });
});

describe("PLT-023 better-auth's routes", () => {
  it("PLT-023 are documented under /api/auth, tagged accounts, with Keel's error body and never better-auth's", () => {
    const auth = operationsOf(document).filter(({ path }) => path.startsWith('/api/auth/'));
    expect(auth.map(keyOf)).toEqual(expect.arrayContaining(['POST /api/auth/sign-up/email', 'POST /api/auth/sign-in/email', 'POST /api/auth/sign-out', 'GET /api/auth/get-session']));
    expect(auth.filter(({ operation }) => JSON.stringify(operation.tags) !== '["accounts"]').map(keyOf)).toEqual([]);
    const foreignErrors = auth.flatMap((entry) => errorResponsesOf(entry.operation).filter(({ keelBody }) => !keelBody).map(({ status }) => `${keyOf(entry)} ${status}`));
    expect(foreignErrors).toEqual([]);
  });

  it('PLT-023 list the codes Keel maps their refusals to', () => {
    expect(errorResponsesOf(operationAt(document, 'POST /api/auth/sign-in/email')).find(({ status }) => status === '401')?.codes).toContain('AUTH_INVALID_CREDENTIALS');
    expect(errorResponsesOf(operationAt(document, 'POST /api/auth/sign-up/email')).find(({ status }) => status === '409')?.codes).toEqual(['AUTH_EMAIL_TAKEN']);
  });
});

describe('PLT-024 GET /api/docs', () => {
  it('PLT-024 serves a page whose scripts and stylesheets Keel itself serves', async () => {
    const page = await keel.app.inject({ method: 'GET', url: API_DOCS_PATH });
    expect({ status: page.statusCode, type: page.headers['content-type'] }).toEqual({ status: 200, type: 'text/html; charset=utf-8' });
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.filter((asset) => /\.(js|css)$/.test(asset)).length).toBeGreaterThanOrEqual(3);
    expect(assets.filter((asset) => !asset.startsWith('/') || asset.startsWith('//'))).toEqual([]);
    const served = await Promise.all(assets.map(async (asset) => ({ asset, ...statusAndSize(await keel.app.inject({ method: 'GET', url: asset })) })));
    expect(served).toEqual(assets.map((asset) => ({ asset, status: 200, empty: false })));
  });

  it("PLT-024 the page reads the same document, and sends it to no online validator", async () => {
    const loaded = await keel.app.inject({ method: 'GET', url: `${API_DOCS_PATH}/json` });
    expect(loaded.json()).toEqual(document);
    const initializer = await keel.app.inject({ method: 'GET', url: `${API_DOCS_PATH}/static/swagger-initializer.js` });
    expect(initializer.body).toContain("resolveUrl('./json')");
    expect(initializer.body).toContain('validatorUrl: null');
  });
});

interface DocumentedError {
  status: string;
  /** Whether its body is Keel's error body (`#/components/schemas/Error`). */
  keelBody: boolean;
  /** The codes it lists, when it lists them. */
  codes: string[] | undefined;
}

function errorResponsesOf(operation: OpenApiOperation): DocumentedError[] {
  return Object.entries(operation.responses ?? {})
    .filter(([status]) => /^[45]/.test(status))
    .map(([status, response]) => {
      const schema = response.content?.['application/json']?.schema;
      const allOf = (schema?.allOf ?? []) as JsonSchema[];
      const keelBody = schema?.$ref === ERROR_SCHEMA_REF || allOf[0]?.$ref === ERROR_SCHEMA_REF;
      const codes = (allOf[1] as { properties?: { code?: { enum?: string[] } } } | undefined)?.properties?.code?.enum;
      return { status, keelBody, codes };
    });
}

async function documentOf(app: HttpApp): Promise<OpenApiDocument> {
  const response = await app.inject({ method: 'GET', url: OPENAPI_DOCUMENT_PATH });
  expect(response.statusCode).toBe(200);
  return response.json<OpenApiDocument>();
}

function operationKeys(of: OpenApiDocument): string[] {
  return operationsOf(of).map(keyOf);
}

function keyOf({ method, path }: { method: string; path: string }): string {
  return `${method.toUpperCase()} ${path}`;
}

function operationAt(of: OpenApiDocument, key: string): OpenApiOperation {
  const [method, path] = key.split(' ') as [string, string];
  const operation = of.paths?.[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`the document has no ${key}`);
  return operation;
}

function statusAndSize(response: { statusCode: number; body: string }): { status: number; empty: boolean } {
  return { status: response.statusCode, empty: response.body.length === 0 };
}

function authPost(url: string, payload: Record<string, string>): InjectOptions {
  return { method: 'POST', url, headers: { origin: keel.url }, payload };
}

async function provisionedTenant(): Promise<string> {
  const tenantId = randomUUID();
  await keel.provisionTenant(tenantId);
  return tenantId;
}

/** Keel with one layer only, on this file's databases, not listening (its document is read in-process). */
async function composeAlone(role: string): Promise<ComposedKeel> {
  const { logger } = createCapturingLogger();
  const { reporter } = createCapturingReporter();
  const env = role === 'regional' ? { CENTRAL_JWKS_URL: keel.issuer.jwksUrl, CENTRAL_URL: keel.url, KEEL_REGION_CREDENTIAL: 'c'.repeat(32) } : { PUBLIC_URL: keel.url };
  const config = loadConfig({ NODE_ENV: 'test', KEEL_ROLE: role, KEEL_SEED: 'false', ...env });
  return composeKeel({ config, logger, reporter, clock: keel.clock, centralDatabase: keel.databases.central, regionalDatabase: keel.databases.regional });
}

/** The document of a bare app with the given routes, areas as Keel's. */
async function bareAppDocument(define: (app: HttpApp) => void): Promise<OpenApiDocument> {
  const { reporter } = createCapturingReporter();
  const app = createHttpApp({ logger: createLogger({ level: 'silent' }), reporter, bodyLimitBytes: 1024, exposeQueryCount: false, queryRepeatWarnThreshold: 5, healthChecks: [] });
  await registerApiReference(app, {
    info: { title: 'Bare', version: '0' },
    securitySchemes: { accessToken: { type: 'http', scheme: 'bearer' } },
    areas: [{ prefix: '/api/v1', security: [{ accessToken: [] }] }],
    errors: { refusals: { accessToken: { 401: ['AUTH_TOKEN_MISSING'] } }, belowMinimumRole: { 403: ['FORBIDDEN_ROLE'] } },
  });
  define(app);
  await app.ready();
  try {
    return await documentOf(app);
  } finally {
    await app.close();
  }
}
