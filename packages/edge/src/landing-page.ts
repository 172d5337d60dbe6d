import type { HttpApp } from '@keel/kernel';

/** Until the web app is built (packages/web), the edge answers `/` with a page that says so. */
export function landingPageRoute(app: HttpApp): void {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    return reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Keel</title></head>' +
          '<body><main><h1>Keel is running</h1><p>API: <code>/api/v1</code> (regional), <code>/api/central</code> (central). ' +
          'Health: <a href="/health">/health</a>.</p></main></body></html>',
      );
  });
}
