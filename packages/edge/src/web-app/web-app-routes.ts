import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { HttpApp } from '@keel/kernel';

/** Where `npm run build -w @keel/web` writes the app (the root `prepare` script runs it on `npm ci`). */
export const WEB_APP_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/** Vite names these files by their content's hash: a changed file is a new URL. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current assets: always revalidated, so a deploy shows at the next load. */
const REVALIDATE = 'no-cache';

const NOT_BUILT_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Keel: web app not built</title></head><body><main>' +
  '<h1>The web app is not built</h1>' +
  '<p>Keel is running and its API answers (<a href="/api/docs">/api/docs</a>), but there is no web app to serve. ' +
  'Build it with <code>npm run build -w @keel/web</code> (<code>npm ci</code> does it too), then restart Keel.</p>' +
  '</main></body></html>';

/**
 * The single-page app at `/` (specs/platform.md, Edge): a GET for one of its files gets the file;
 * any other GET outside the API and `/health` gets index.html, so deep links (`/t/acme/orders`) load
 * the app, which routes in the browser. Unknown API paths and missing assets stay 404 (Keel's
 * error body). Only files found in the build directory at start are served.
 */
export function webAppRoutes(options: { root: string }) {
  return async function plugin(app: HttpApp): Promise<void> {
    const files = await listFiles(options.root);
    if (!files.has('/index.html')) {
      app.log.warn({ webRoot: options.root }, 'the web app is not built (run `npm run build -w @keel/web`): pages answer 503 until it is built and Keel restarted');
      app.get('/*', { schema: { hide: true } }, async (request, reply) => {
        if (outsideTheApp(pathOf(request.url))) return reply.callNotFound();
        return reply.status(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
      });
      return;
    }
    await app.register(fastifyStatic, { root: options.root, serve: false });
    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      const pathname = pathOf(request.url);
      if (files.has(pathname) && pathname !== '/index.html') {
        return reply.header('cache-control', pathname.startsWith('/assets/') ? IMMUTABLE : REVALIDATE).sendFile(pathname.slice(1), { cacheControl: false });
      }
      if (outsideTheApp(pathname) || pathname.startsWith('/assets/')) return reply.callNotFound();
      return reply.header('cache-control', REVALIDATE).sendFile('index.html', { cacheControl: false });
    });
  };
}

function pathOf(url: string): string {
  return url.split('?', 1)[0]!;
}

/** The API and the health check are never the app's, even at paths that match no route. */
function outsideTheApp(pathname: string): boolean {
  return /^\/(api|health)(\/|$)/.test(pathname);
}

/** Every file under root, as URL paths (`/assets/index-abc123.js`); empty when root does not exist. */
async function listFiles(root: string): Promise<Set<string>> {
  try {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return new Set(entries.filter((entry) => entry.isFile()).map((entry) => `/${path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')}`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw error;
  }
}
