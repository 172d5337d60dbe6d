import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineError } from '../errors/app-error.ts';
import { createCapturingLogger, createCapturingReporter } from '../../../../test/support/capture.ts';
import { createHttpApp, type HttpApp } from './create-http-app.ts';
import { encodeCursor, paginationQuery } from './pagination.ts';

class ShelfFullError extends defineError({ code: 'SHELF_FULL', status: 409, description: 'Test error: the shelf is full.' }) {}
class ShelfMissingError extends defineError({ code: 'SHELF_MISSING', status: 404, description: 'Test error: no such shelf.' }) {}

const BODY_LIMIT_BYTES = 256;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const itemBody = z.strictObject({ x: z.number(), note: z.string().optional() });
const itemParams = z.object({ id: z.uuid() });

let app: HttpApp;
const { logger, logs } = createCapturingLogger();
const { reporter, reported } = createCapturingReporter();

beforeAll(async () => {
  app = createTestApp();
  app.get('/app-error', async () => {
    throw new ShelfFullError({ headers: { 'retry-after': '7' } });
  });
  app.get('/crash', async () => {
    throw new Error('secret internals');
  });
  app.get('/quiet', async () => {
    throw new ShelfMissingError();
  });
  app.post('/items', { schema: { body: itemBody } }, async (request) => ({ received: request.body }));
  app.get('/items/:id', { schema: { params: itemParams } }, async (request) => ({ id: request.params.id }));
  app.delete('/items/:id', { schema: { params: itemParams } }, async (_request, reply) => reply.status(204).send());
  app.get('/items', { schema: { querystring: paginationQuery } }, async (request) => request.query);
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

describe('PLT-001 error responses carry only code and requestId', () => {
  it('answers an AppError with its status, its headers and {code, requestId}', async () => {
    const response = await app.inject({ method: 'GET', url: '/app-error' });
    expect(response.statusCode).toBe(409);
    expect(response.headers['retry-after']).toBe('7');
    expect(response.json()).toEqual({ code: 'SHELF_FULL', requestId: response.headers['x-request-id'] });
  });

  it('PLT-002 answers an unexpected failure 500 INTERNAL_ERROR without internals and reports it once', async () => {
    const before = reported.length;
    const response = await app.inject({ method: 'GET', url: '/crash' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ code: 'INTERNAL_ERROR', requestId: response.headers['x-request-id'] });
    expect(response.body).not.toContain('secret internals');
    const newlyReported = reported.slice(before);
    expect(newlyReported).toHaveLength(1);
    expect(newlyReported[0]!.code).toBe('INTERNAL_ERROR');
    expect((newlyReported[0]!.cause as Error).message).toBe('secret internals');
  });

  it('PLT-002 never reports an error defined with report: false', async () => {
    const before = reported.length;
    const response = await app.inject({ method: 'GET', url: '/quiet' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'SHELF_MISSING', requestId: response.headers['x-request-id'] });
    expect(reported.slice(before)).toEqual([]);
    expect(logs.find((line) => line.code === 'SHELF_MISSING')).toMatchObject({ level: 30, msg: 'request refused', status: 404 });
  });
});

describe('PLT-004 input a client can get wrong answers a typed 4xx, never a 500', () => {
  it.each([
    { name: 'malformed JSON', method: 'POST', url: '/items', contentType: 'application/json', payload: '{"x": 1', status: 400, code: 'MALFORMED_JSON' },
    { name: 'a text/plain body', method: 'POST', url: '/items', contentType: 'text/plain', payload: 'x=1', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'a form body', method: 'POST', url: '/items', contentType: 'application/x-www-form-urlencoded', payload: 'x=1', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'a DELETE with content-type json and no body', method: 'DELETE', url: `/items/${crypto.randomUUID()}`, contentType: 'application/json', payload: undefined, status: 400, code: 'MALFORMED_JSON' },
    { name: 'a body one byte over the limit', method: 'POST', url: '/items', contentType: 'application/json', payload: bodyOfLength(BODY_LIMIT_BYTES + 1), status: 413, code: 'PAYLOAD_TOO_LARGE' },
    { name: 'an unknown route', method: 'GET', url: '/nowhere', contentType: undefined, payload: undefined, status: 404, code: 'ROUTE_NOT_FOUND' },
    { name: 'an undecodable URL', method: 'GET', url: '/items/%ZZ', contentType: undefined, payload: undefined, status: 400, code: 'MALFORMED_URL' },
  ] as const)('$name → $status $code', async ({ method, url, contentType, payload, status, code }) => {
    const before = reported.length;
    const response = await app.inject({ method, url, payload, headers: contentType ? { 'content-type': contentType } : {} });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({ code, requestId: response.headers['x-request-id'] });
    expect(reported.slice(before)).toEqual([]);
  });

  it('accepts a body exactly at the limit', async () => {
    const payload = bodyOfLength(BODY_LIMIT_BYTES);
    expect(Buffer.byteLength(payload)).toBe(BODY_LIMIT_BYTES);
    const response = await app.inject({ method: 'POST', url: '/items', payload, headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: JSON.parse(payload) });
  });
});

describe('PLT-005 VALIDATION_FAILED lists each offending field path with its rule', () => {
  it.each([
    { name: 'a wrong type', method: 'POST', url: '/items', payload: { x: 'one' }, details: [{ path: 'body.x', rule: 'invalid_type' }] },
    { name: 'a missing field', method: 'POST', url: '/items', payload: { note: 'no x' }, details: [{ path: 'body.x', rule: 'invalid_type' }] },
    {
      name: 'unknown fields',
      method: 'POST',
      url: '/items',
      payload: { x: 1, extra: true, other: 2 },
      details: [
        { path: 'body.extra', rule: 'unrecognized_key' },
        { path: 'body.other', rule: 'unrecognized_key' },
      ],
    },
    {
      name: 'several broken fields',
      method: 'POST',
      url: '/items',
      payload: { x: 'one', note: 2 },
      details: [
        { path: 'body.x', rule: 'invalid_type' },
        { path: 'body.note', rule: 'invalid_type' },
      ],
    },
    { name: 'a param that is not a UUID', method: 'GET', url: '/items/42', payload: undefined, details: [{ path: 'params.id', rule: 'invalid_format' }] },
    { name: 'an invalid cursor', method: 'GET', url: '/items?cursor=not-a-cursor', payload: undefined, details: [{ path: 'query.cursor', rule: 'invalid_cursor' }] },
    { name: 'a limit over the maximum', method: 'GET', url: '/items?limit=500', payload: undefined, details: [{ path: 'query.limit', rule: 'too_big' }] },
    { name: 'an unknown query parameter', method: 'GET', url: '/items?sort=name', payload: undefined, details: [{ path: 'query.sort', rule: 'unrecognized_key' }] },
  ] as const)('PLT-004 $name → 400 VALIDATION_FAILED', async ({ method, url, payload, details }) => {
    const before = reported.length;
    const response = await app.inject({ method, url, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'VALIDATION_FAILED', requestId: response.headers['x-request-id'], details });
    expect(reported.slice(before)).toEqual([]);
  });

  it('accepts a valid cursor and limit', async () => {
    const after = crypto.randomUUID();
    const response = await app.inject({ method: 'GET', url: `/items?limit=200&cursor=${encodeCursor(after)}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ limit: 200, cursor: after });
  });
});

describe('request ids', () => {
  it('PLT-007 echoes a valid incoming x-request-id next to x-query-count', async () => {
    const response = await app.inject({ method: 'GET', url: '/app-error', headers: { 'x-request-id': 'client-req.42:a_b' } });
    expect(response.headers['x-request-id']).toBe('client-req.42:a_b');
    expect(response.headers['x-query-count']).toBe('0');
    expect(response.json()).toMatchObject({ requestId: 'client-req.42:a_b' });
  });

  it.each([
    { name: 'unsafe characters', id: 'bad id <script>' },
    { name: 'more than 128 characters', id: 'a'.repeat(129) },
  ])('PLT-007 replaces an incoming x-request-id with $name', async ({ id }) => {
    const response = await app.inject({ method: 'GET', url: '/app-error', headers: { 'x-request-id': id } });
    const replaced = response.headers['x-request-id'];
    expect(replaced).toMatch(UUID);
    expect(response.headers['x-query-count']).toBe('0');
    expect(response.json()).toMatchObject({ requestId: replaced });
  });

  it('gives each request its own id', async () => {
    const [first, second] = await Promise.all([app.inject({ method: 'GET', url: '/nowhere' }), app.inject({ method: 'GET', url: '/nowhere' })]);
    expect(first.headers['x-request-id']).toMatch(UUID);
    expect(second.headers['x-request-id']).toMatch(UUID);
    expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
  });
});

function createTestApp(): HttpApp {
  return createHttpApp({ logger, reporter, bodyLimitBytes: BODY_LIMIT_BYTES, exposeQueryCount: true, queryRepeatWarnThreshold: 5, healthChecks: [] });
}

/** A valid item body of exactly `length` bytes. */
function bodyOfLength(length: number): string {
  const empty = JSON.stringify({ x: 1, note: '' });
  return JSON.stringify({ x: 1, note: 'n'.repeat(length - empty.length) });
}
