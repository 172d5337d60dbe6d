import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { OpenAPIV3_1 } from 'openapi-types';
import type { HttpApp } from '../create-http-app.ts';
import { addErrorResponses, errorBodySchema, type ErrorResponseOptions } from './error-responses.ts';
import { mergeDocument, type MergedDocument } from './merge-document.ts';
import { operationsOf, type OpenApiDocument } from './openapi-document.ts';
import { areaOf, createOperationTransform, type ApiArea } from './operation-transform.ts';

export const OPENAPI_DOCUMENT_PATH = '/api/openapi.json';
export const API_DOCS_PATH = '/api/docs';

export interface ApiReferenceOptions {
  info: OpenAPIV3_1.InfoObject;
  securitySchemes: Readonly<Record<string, OpenAPIV3_1.SecuritySchemeObject>>;
  /** Where the layers of this process serve their routes, with their credentials. */
  areas: readonly ApiArea[];
  errors: ErrorResponseOptions;
  /** Documents of routes served here but not registered with schemas (better-auth's); their operations take the security of their prefix's area. */
  merge?: readonly MergedDocument[];
  /** Descriptions of tags (bounded contexts); every tag an operation uses is listed either way. */
  tags?: readonly OpenAPIV3_1.TagObject[];
}

/**
 * The API reference of the routes this process serves: an OpenAPI 3.1 document generated from
 * the route schemas at `GET /api/openapi.json`, and a browsable page of it at `GET /api/docs`.
 * Register it before the layers' routes: only routes registered afterwards are documented
 * (hidden ones, `schema.hide`, never).
 *
 * The page is Swagger UI through @fastify/swagger-ui (the Fastify team's plugin, like
 * @fastify/swagger): its scripts and styles ship in the npm package and Keel serves them, so the
 * page works offline and loads nothing from a CDN; its online validator badge is off.
 */
export async function registerApiReference(app: HttpApp, options: ApiReferenceOptions): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: options.info,
      components: { securitySchemes: { ...options.securitySchemes }, schemas: { Error: errorBodySchema } },
    },
    transform: createOperationTransform(options.areas),
    // Schemas registered with an id (`.meta({ id })`) become components, referenced by name.
    transformObject: createJsonSchemaTransformObject({}),
  });

  // Built once, when first asked for: better-auth, whose document is merged, is made on first use.
  let built: OpenApiDocument | undefined;
  let building: Promise<OpenApiDocument> | undefined;
  const documentOnce = () =>
    (building ??= buildDocument(app, options).then(
      (document) => (built = document),
      (error: unknown) => {
        building = undefined;
        throw error;
      },
    ));

  app.get(OPENAPI_DOCUMENT_PATH, { schema: { hide: true } }, async () => documentOnce());

  await app.register(fastifySwaggerUi, {
    routePrefix: API_DOCS_PATH,
    theme: { title: `${options.info.title} — API reference` },
    // Its own `/api/docs/json`, which the page loads, serves the same document.
    uiHooks: { onRequest: async () => void (await documentOnce()) },
    transformSpecification: () => built!,
    transformSpecificationClone: false,
    // BaseLayout: the page without Swagger UI's top bar (a box to explore other documents' URLs).
    uiConfig: { layout: 'BaseLayout', deepLinking: true, displayRequestDuration: true },
  });
}

async function buildDocument(app: HttpApp, options: ApiReferenceOptions): Promise<OpenApiDocument> {
  const document = structuredClone(app.swagger()) as unknown as OpenApiDocument;
  for (const source of options.merge ?? []) {
    const security = areaOf(options.areas, `${source.prefix}/`)?.security ?? [];
    mergeDocument(document, await fetchDocument(app, source.documentUrl), { ...source, security });
  }
  addErrorResponses(document, options.areas, options.errors);
  markOptionalBodies(document);
  describeSuccesses(document);
  spellOutUnnamedCycles(document);
  orderByArea(document, options.areas);
  document.tags = listTags(document, [...(options.tags ?? []), ...(options.merge ?? []).map((source) => source.tag)]);
  return document;
}

async function fetchDocument(app: HttpApp, url: string): Promise<OpenApiDocument> {
  const response = await app.inject({ method: 'GET', url });
  if (response.statusCode !== 200) throw new Error(`the API reference could not read ${url}: ${response.statusCode}`);
  return response.json<OpenApiDocument>();
}

/** @fastify/swagger marks every body required; one whose schema accepts `null` may be left out. */
function markOptionalBodies(document: OpenApiDocument): void {
  for (const { operation } of operationsOf(document)) {
    const body = operation.requestBody;
    const anyOf = body?.content['application/json']?.schema?.anyOf;
    if (body && Array.isArray(anyOf) && anyOf.some((branch: { type?: unknown }) => branch.type === 'null')) body.required = false;
  }
}

const SUCCESSES: Readonly<Record<string, string>> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' };

/** @fastify/swagger describes every answer as "Default Response"; a success gets its status's name. */
function describeSuccesses(document: OpenApiDocument): void {
  for (const { operation } of operationsOf(document)) {
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if (response.description === 'Default Response' && SUCCESSES[status] !== undefined) response.description = SUCCESSES[status];
    }
  }
}

/** Paths in the order of the areas (regional, central, better-auth's), each as registered. */
function orderByArea(document: OpenApiDocument, areas: readonly ApiArea[]): void {
  const rank = (path: string) => {
    const area = areaOf(areas, path);
    return area === undefined ? areas.length : areas.indexOf(area);
  };
  document.paths = Object.fromEntries(Object.entries(document.paths ?? {}).toSorted(([a], [b]) => rank(a) - rank(b)));
}

/** Every tag an operation uses, in the order they first appear; the reference page groups by them. */
function listTags(document: OpenApiDocument, described: readonly OpenAPIV3_1.TagObject[]): OpenAPIV3_1.TagObject[] {
  const used = new Set(operationsOf(document).flatMap(({ operation }) => operation.tags ?? []));
  return [...used].map((name) => described.find((tag) => tag.name === name) ?? { name });
}

/**
 * A recursive zod schema without an id (`z.json()`) is converted with a reference to a component
 * zod names `schemaN`, which fastify-type-provider-zod does not emit. Such a reference stands for
 * any JSON value here; give a recursive schema an id (`.meta({ id })`) to have it spelled out.
 */
function spellOutUnnamedCycles(document: OpenApiDocument): void {
  const defined = new Set(Object.keys(document.components?.schemas ?? {}));
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    const ref = (value as { $ref?: unknown }).$ref;
    const unnamed = typeof ref === 'string' ? /^#\/components\/schemas\/(schema\d+)$/.exec(ref)?.[1] : undefined;
    if (unnamed !== undefined && !defined.has(unnamed)) return { description: 'Any JSON value.' };
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, visit(child)]));
  };
  document.paths = visit(document.paths) as OpenApiDocument['paths'];
}
