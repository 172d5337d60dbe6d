import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, type HttpApp } from '@keel/kernel';
import { createCapturingLogger, createCapturingReporter } from '../../../../test/support/capture.ts';
import { createEdgeLayer } from '../edge-layer.ts';

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-a1b2c3.js"></script></head><body><div id="root"></div></body></html>';
const ASSET = 'console.log("app");';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'keel-web-'));
  const built = path.join(directory, 'dist');
  await mkdir(path.join(built, 'assets'), { recursive: true });
  await writeFile(path.join(built, 'index.html'), INDEX);
  await writeFile(path.join(built, 'assets', 'index-a1b2c3.js'), ASSET);
  await writeFile(path.join(built, 'robots.txt'), 'User-agent: *\n');
  // Next to the build, never part of it.
  await writeFile(path.join(directory, 'secret.txt'), 'not for the web');
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('PLT-025 the edge serves the built web app at /', () => {
  let edge: Edge;
  beforeAll(async () => {
    edge = await startEdge(path.join(directory, 'dist'));
  });
  afterAll(async () => {
    await edge?.app.close();
  });

  it.each(['/', '/t/acme/orders', '/t/acme/orders/0199d1c2-aaaa-7bbb-8ccc-123456789abc', '/sign-in?redirect=%2Ft%2Facme'])(
    'answers GET %s with index.html, revalidated on every load',
    async (url) => {
      const response = await fetch(`${edge.url}${url}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toBe(INDEX);
    },
  );

  it('serves a hashed asset with its type, cached for a year as immutable', async () => {
    const response = await fetch(`${edge.url}/assets/index-a1b2c3.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await response.text()).toBe(ASSET);
  });

  it('serves the other files of the build, revalidated', async () => {
    const response = await fetch(`${edge.url}/robots.txt`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe('User-agent: *\n');
  });

  it.each(['/api', '/api/v1/nothing-here', '/api/central/nothing-here', '/health/deep', '/assets/index-gone99.js'])(
    'answers GET %s with 404 ROUTE_NOT_FOUND, never the app',
    async (url) => {
      const response = await fetch(`${edge.url}${url}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    },
  );

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt'])('never serves a file outside the build (%s)', async (url) => {
    const response = await fetch(`${edge.url}${url}`);
    expect(await response.text()).not.toContain('not for the web');
  });
});

describe('PLT-026 without a built web app the edge starts and says how to build it', () => {
  let edge: Edge;
  beforeAll(async () => {
    edge = await startEdge(path.join(directory, 'not-built'));
  });
  afterAll(async () => {
    await edge?.app.close();
  });

  it('answers pages with 503 and an HTML page naming the build command', async () => {
    const response = await fetch(`${edge.url}/t/acme/stores`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('npm run build -w @keel/web');
  });

  it('logs a warning naming the build command once, at start', () => {
    const warnings = edge.logs.filter((line) => line.level === 40 && String(line.msg).includes('npm run build -w @keel/web'));
    expect(warnings).toHaveLength(1);
  });

  it('keeps answering API paths with Keel errors', async () => {
    const response = await fetch(`${edge.url}/api/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });
});

interface Edge {
  app: HttpApp;
  url: string;
  logs: Record<string, unknown>[];
}

/** The edge layer alone on a Keel HTTP app, serving `webRoot`. */
async function startEdge(webRoot: string): Promise<Edge> {
  const { logger, logs } = createCapturingLogger();
  const app = createHttpApp({ logger, reporter: createCapturingReporter().reporter, bodyLimitBytes: 1_048_576, exposeQueryCount: false, queryRepeatWarnThreshold: 5, healthChecks: [] });
  await createEdgeLayer({ webRoot }).register(app);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, logs };
}
