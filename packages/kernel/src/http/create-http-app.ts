import { randomUUID } from 'node:crypto';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifySchema,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
  type RouteHandlerMethod,
} from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Logger } from '../logging/logger.ts';
import type { ErrorReporter } from '../errors/reporter.ts';
import { QueryStats } from '../db/query-stats.ts';
import { runWithContext, type RequestContext } from '../tenancy/request-context.ts';
import { MalformedUrlError } from '../errors/errors.ts';
import { installErrorHandler } from './error-handler.ts';

export type HttpApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface HttpAppOptions {
  logger: Logger;
  reporter: ErrorReporter;
  bodyLimitBytes: number;
  /** Outside production every response carries `x-query-count`. */
  exposeQueryCount: boolean;
  queryRepeatWarnThreshold: number;
  /** Each check throws when its dependency does not answer; `/health` runs them all. */
  healthChecks: ReadonlyArray<() => Promise<void>>;
  /**
   * Proxies (addresses, CIDRs, or `loopback`/`linklocal`/`uniquelocal`) whose `X-Forwarded-For`
   * names the client; default none: the client is the connection's address.
   */
  trustProxy?: readonly string[];
}

/** A route as registered: method, full URL (prefixes included, `:param`s as written) and schema. */
export interface RegisteredRoute {
  method: string;
  url: string;
  schema: FastifySchema | undefined;
  /** What the route runs (the API reference's schema check reads whether it uses the query). */
  handler: RouteHandlerMethod;
}

declare module 'fastify' {
  interface FastifyRequest {
    keelContext: RequestContext;
  }
  interface FastifyInstance {
    /**
     * Every route registered so far, in order, including the HEAD route Fastify adds for each GET:
     * what tests check for every endpoint (authentication, roles, schemas), never a hand-kept list.
     */
    registeredRoutes: readonly RegisteredRoute[];
  }
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Query parameters whose values are secrets (one-time links, keys): never written to a log. */
const SECRET_QUERY_PARAMETERS = new Set(['token', 'key', 'secret', 'password', 'code', 'signature']);

/** The URL as logged: path and query, with the values of secret parameters replaced. */
export function redactedUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const query = new URLSearchParams(url.slice(queryStart + 1));
  for (const name of new Set(query.keys())) if (SECRET_QUERY_PARAMETERS.has(name.toLowerCase())) query.set(name, 'redacted');
  return `${url.slice(0, queryStart)}?${query.toString()}`;
}

/** The Fastify instance every layer registers its plugins on, with Keel's cross-cutting behaviour. */
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    trustProxy: options.trustProxy !== undefined && options.trustProxy.length > 0 ? options.trustProxy.join(',') : false,
    bodyLimit: options.bodyLimitBytes,
    // One line per request, written by the onResponse hook below, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    // Request logs get their ids from the logger's mixin (request context), not a child binding,
    // so each line carries requestId once, and the same ids as logs from deeper code.
    childLoggerFactory: (logger) => logger,
    // Requests keep being served while the server drains (keep-alive connections included); the
    // listener is closed, so nothing new arrives. A bare 503 from Fastify would carry no Keel code.
    return503OnClosing: false,
    // Failures before routing (an undecodable URL) never reach the error handler or the hooks.
    frameworkErrors: (error, request, reply) => {
      const failure = new MalformedUrlError({ cause: error });
      const headers: Record<string, string> = { 'x-request-id': request.id };
      if (options.exposeQueryCount) headers['x-query-count'] = '0';
      const raw = reply as unknown as FastifyReply;
      void raw.status(failure.status).headers(headers).send({ code: failure.code, requestId: request.id });
    },
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Keel's APIs take JSON only; Fastify's default text/plain parser would turn a text body into a
  // string that fails validation (400) instead of answering 415 UNSUPPORTED_MEDIA_TYPE.
  app.removeContentTypeParser('text/plain');
  installErrorHandler(app, options.reporter);

  const registeredRoutes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', registeredRoutes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) registeredRoutes.push({ method, url: route.url, schema: route.schema, handler: route.handler as RouteHandlerMethod });
  });

  app.decorateRequest('keelContext');
  app.addHook('onRequest', (request, _reply, done) => {
    const queryStats = new QueryStats({
      repeatThreshold: options.queryRepeatWarnThreshold,
      onRepeat: (shape, count) => request.log.warn({ statement: shape, count }, 'statement repeated within one request (N+1?)'),
    });
    request.keelContext = { requestId: request.id, queryStats };
    runWithContext(request.keelContext, done);
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (options.exposeQueryCount) reply.header('x-query-count', String(request.keelContext.queryStats?.total ?? 0));
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, url: redactedUrl(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.get(
    '/health',
    { schema: { hide: true, response: { 200: healthBody, 503: healthBody } } },
    async (_request, reply) => {
      const results = await Promise.allSettled(options.healthChecks.map((check) => check()));
      const healthy = results.every((result) => result.status === 'fulfilled');
      return reply.status(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'unavailable' });
    },
  );
  return app as unknown as HttpApp;
}

const healthBody = z.object({ status: z.enum(['ok', 'unavailable']) });
