import type { SwaggerTransform } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { createJsonSchemaTransform } from 'fastify-type-provider-zod';
import type { ErrorCodes } from './error-responses.ts';
import { noBody } from './route-schemas.ts';

/** One OpenAPI security requirement: scheme name → scopes (none for Keel's schemes). */
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

/** Where a layer serves its routes, and what credential they take. */
export interface ApiArea {
  /** Routes whose URL starts with `prefix/`, e.g. `/api/v1`. */
  prefix: string;
  /** The credential its routes take; `[]`: none. */
  security: readonly SecurityRequirement[];
  /** Routes that take another credential (or none), keyed `METHOD /url` as registered. A route's own `schema.security` wins over both. */
  routeSecurity?: Readonly<Record<string, readonly SecurityRequirement[]>>;
  /** Errors every route of the area may answer, beyond the kernel's and its credential's. */
  errors?: ErrorCodes;
}

export function areaOf<Area extends { prefix: string }>(areas: readonly Area[], path: string): Area | undefined {
  return areas.find((area) => path.startsWith(`${area.prefix}/`));
}

/**
 * @fastify/swagger's transform for Keel's routes: the zod schemas become JSON Schema
 * (fastify-type-provider-zod), `noBody` documents no request body, and each operation gets the
 * security of its area, a tag (its bounded context: the route's own tags, else the first path
 * segment after the area's prefix) and, when a preHandler names one (`minimumRole`), the minimum
 * role as `x-keel-minimum-role`.
 */
export function createOperationTransform(areas: readonly ApiArea[]): SwaggerTransform {
  const zodTransform = createJsonSchemaTransform({ skipList: [] });
  return (input) => {
    const routeSchema = input.schema as FastifySchema | undefined;
    const withoutNoBody = routeSchema?.body === noBody ? { ...routeSchema, body: undefined } : routeSchema;
    const transformed = zodTransform({ ...input, schema: withoutNoBody as typeof input.schema });
    const schema = transformed.schema as FastifySchema & Record<string, unknown>;
    if (!schema || schema.hide) return transformed;
    const { url } = input;
    const method = [input.route.method].flat()[0]!;
    const area = areaOf(areas, url);
    const security = schema.security ?? area?.routeSecurity?.[`${method} ${url}`] ?? area?.security;
    const firstSegment = url.slice(area?.prefix.length ?? 0).split('/').find((segment) => segment !== '');
    const tags = schema.tags ?? (firstSegment === undefined ? undefined : [firstSegment]);
    const minimumRole = minimumRoleOf(input.route.preHandler);
    return {
      url: transformed.url,
      schema: {
        ...schema,
        ...(security === undefined ? {} : { security }),
        ...(tags === undefined ? {} : { tags }),
        ...(minimumRole === undefined ? {} : { 'x-keel-minimum-role': minimumRole }),
      },
    };
  };
}

/** A preHandler that checks a role carries it as `minimumRole`. */
function minimumRoleOf(preHandler: unknown): string | undefined {
  for (const handler of [preHandler].flat()) {
    const role = (handler as { minimumRole?: unknown } | undefined)?.minimumRole;
    if (typeof role === 'string') return role;
  }
  return undefined;
}
