import { z } from 'zod';
import type { RegisteredRoute } from '../create-http-app.ts';

/**
 * The body schema of a POST, PUT or PATCH that takes no body: a request without one (Fastify's
 * `null`) or with an empty JSON object passes, any field is 400 `VALIDATION_FAILED` naming it, and
 * the API reference documents no request body.
 */
export const noBody = z.strictObject({}).nullable();

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** Keel's own API routes: under `/api/v1` and `/api/central`, not hidden, without the HEAD twin of each GET. */
export function keelApiRoutes(routes: readonly RegisteredRoute[]): RegisteredRoute[] {
  return routes.filter((route) => route.method !== 'HEAD' && /^\/api\/(v1|central)\//.test(route.url) && route.schema?.hide !== true);
}

/**
 * What a route's schema lacks for the API reference, as readable lines (none: complete). A route
 * declares its body (every POST, PUT and PATCH; `noBody` when it takes none), its path
 * parameters (exactly those of its URL), its query when its handler reads one, and at least one
 * 2xx response. Whether the handler reads the query is read from its source (`.query`): a
 * handler that hands the request to another function is not seen through.
 */
export function missingSchemas(route: RegisteredRoute): string[] {
  const schema = route.schema ?? {};
  const missing: string[] = [];
  if (METHODS_WITH_BODY.has(route.method) && schema.body === undefined) missing.push('no body schema (noBody when it takes none)');
  const pathParams = [...route.url.matchAll(/:(\w+)/g)].map((match) => match[1]!);
  const declared = schema.params instanceof z.ZodObject ? Object.keys(schema.params.shape) : undefined;
  if (pathParams.length > 0 && declared === undefined) missing.push(`no params schema for ${pathParams.map((name) => `:${name}`).join(', ')}`);
  if (declared !== undefined && declared.toSorted().join() !== pathParams.toSorted().join()) {
    missing.push(`params schema names ${declared.join(', ') || 'nothing'}, the URL ${pathParams.join(', ') || 'nothing'}`);
  }
  if (schema.querystring === undefined && /\.query\b/.test(String(route.handler))) missing.push('reads the query without a querystring schema');
  const statuses = Object.keys((schema.response as Record<string, unknown> | undefined) ?? {});
  if (!statuses.some((status) => /^2(\d\d|XX)$/.test(status))) missing.push('no 2xx response schema');
  return missing;
}
