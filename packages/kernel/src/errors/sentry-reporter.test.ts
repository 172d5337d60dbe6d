import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, type HttpApp } from '../http/create-http-app.ts';
import { createLogger } from '../logging/logger.ts';
import { defineError } from './app-error.ts';
import { createSentryReporter, type ErrorReporter } from './reporter.ts';

class LedgerJammedError extends defineError({ code: 'LEDGER_JAMMED', status: 503, report: true, description: 'Test error: reported.' }) {}
class ShelfEmptyError extends defineError({ code: 'SHELF_EMPTY', status: 409, description: 'Test error: not reported.' }) {}

interface SentryEvent {
  environment?: string;
  tags?: Record<string, unknown>;
  exception?: { values?: { type?: string; value?: string }[] };
}

let ingest: Server;
const envelopeRequests: { path: string; items: { header: { type?: string }; payload: unknown }[] }[] = [];
let reporter: ErrorReporter;
let app: HttpApp;

beforeAll(async () => {
  ingest = createServer((request, response) => {
    void readBody(request).then((body) => {
      envelopeRequests.push({ path: new URL(request.url ?? '/', 'http://ingest').pathname, items: parseEnvelope(body) });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => ingest.listen(0, '127.0.0.1', resolve));
  const { port } = ingest.address() as AddressInfo;
  const logger = createLogger({ level: 'silent' });
  reporter = createSentryReporter({ dsn: `http://publickey@127.0.0.1:${port}/1`, environment: 'test', logger });
  app = createHttpApp({ logger, reporter, bodyLimitBytes: 1024, exposeQueryCount: false, queryRepeatWarnThreshold: 5, healthChecks: [] });
  app.get('/reported', async () => {
    throw new LedgerJammedError();
  });
  app.get('/not-reported', async () => {
    throw new ShelfEmptyError();
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await new Promise<void>((resolve, reject) => ingest.close((error) => (error ? reject(error) : resolve())));
});

describe('Sentry reporter', () => {
  it('PLT-002 sends a report: true error to Sentry and never a report: false one', async () => {
    const reported = await app.inject({ method: 'GET', url: '/reported' });
    const notReported = await app.inject({ method: 'GET', url: '/not-reported' });
    expect(reported.statusCode).toBe(503);
    expect(notReported.statusCode).toBe(409);

    expect(await reporter.flush(5000)).toBe(true);

    expect(new Set(envelopeRequests.map((request) => request.path))).toEqual(new Set(['/api/1/envelope/']));
    const events = envelopeRequests.flatMap((request) => request.items).filter((item) => item.header.type === 'event').map((item) => item.payload as SentryEvent);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event!.environment).toBe('test');
    expect(event!.tags).toMatchObject({ code: 'LEDGER_JAMMED', requestId: reported.headers['x-request-id'] });
    expect(event!.exception?.values?.[0]).toMatchObject({ type: 'LedgerJammedError', value: 'LEDGER_JAMMED' });
    expect(JSON.stringify(events)).not.toContain('SHELF_EMPTY');
  });
});

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
}

/** An envelope is newline-delimited JSON: its header, then a header and a payload per item. */
function parseEnvelope(body: string): { header: { type?: string }; payload: unknown }[] {
  const [, ...lines] = body.split('\n').filter(Boolean);
  const items: { header: { type?: string }; payload: unknown }[] = [];
  for (let index = 0; index + 1 < lines.length; index += 2) {
    items.push({ header: JSON.parse(lines[index]!) as { type?: string }, payload: JSON.parse(lines[index + 1]!) });
  }
  return items;
}
