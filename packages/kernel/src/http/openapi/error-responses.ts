import {
  DatabaseUnavailableError,
  InternalError,
  MalformedJsonError,
  MalformedUrlError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationFailedError,
} from '../../errors/errors.ts';
import { operationsOf, type JsonSchema, type OpenApiDocument, type OpenApiOperation, type OpenApiResponse } from './openapi-document.ts';
import { areaOf, type ApiArea } from './operation-transform.ts';

/** Error codes by HTTP status, e.g. `{ 401: ['AUTH_TOKEN_MISSING', …] }`. */
export type ErrorCodes = Readonly<Record<number, readonly string[]>>;

export const ERROR_SCHEMA_REF = '#/components/schemas/Error';

/** Keel's one error body (PLT-001), `#/components/schemas/Error` in the document. */
export const errorBodySchema: JsonSchema = {
  type: 'object',
  description: 'Every error answer of Keel. Codes are stable; the catalogue (docs/errors.md) lists them all.',
  required: ['code', 'requestId'],
  properties: {
    code: { type: 'string', description: 'Stable machine code, e.g. `STORE_NOT_FOUND`.' },
    requestId: { type: 'string', description: 'The request id, also in the `x-request-id` header.' },
    details: {
      type: 'array',
      description: 'With `VALIDATION_FAILED` only: each offending field and the rule it broke.',
      items: {
        type: 'object',
        required: ['path', 'rule'],
        properties: {
          path: { type: 'string', examples: ['body.name', 'query.limit', 'params.storeId'] },
          rule: { type: 'string', examples: ['too_small', 'invalid_type', 'unrecognized_key'] },
        },
      },
    },
  },
};

export interface ErrorResponseOptions {
  /** What each security scheme answers when its credential is missing or refused. */
  refusals: Readonly<Record<string, ErrorCodes>>;
  /** What each security scheme answers, in addition, to a request other than GET (e.g. a cookie from another origin). */
  writeRefusals?: Readonly<Record<string, ErrorCodes>>;
  /** What a route that names a minimum role (`x-keel-minimum-role`) answers below it. */
  belowMinimumRole?: ErrorCodes;
  /** Codes particular operations answer, keyed `METHOD /path` as in the document. */
  operations?: Readonly<Record<string, ErrorCodes>>;
}

/**
 * Documents on every operation the errors Keel answers for it, with Keel's body: those of the
 * kernel (input, unexpected failures), of its security schemes, of its minimum role, of its area
 * and any listed for it. A status the route's own schema documents is left as the route wrote it.
 */
export function addErrorResponses(document: OpenApiDocument, areas: readonly ApiArea[], options: ErrorResponseOptions): void {
  for (const { path, method, operation } of operationsOf(document)) {
    const codes = new CodeCollector();
    codes.add(kernelErrors(path, operation));
    for (const requirement of operation.security ?? []) {
      for (const scheme of Object.keys(requirement)) {
        codes.add(options.refusals[scheme] ?? {});
        if (method !== 'get' && method !== 'head') codes.add(options.writeRefusals?.[scheme] ?? {});
      }
    }
    if ('x-keel-minimum-role' in operation) codes.add(options.belowMinimumRole ?? {});
    codes.add(areaOf(areas, path)?.errors ?? {});
    codes.add(options.operations?.[`${method.toUpperCase()} ${path}`] ?? {});
    operation.responses ??= {};
    for (const [status, list] of codes.byStatus()) operation.responses[status] ??= errorResponse(list, Number(status));
  }
}

/** The errors the kernel answers for any route: input it validates, the database, the unexpected. */
function kernelErrors(path: string, operation: OpenApiOperation): ErrorCodes {
  const codes: Record<number, string[]> = { 500: [code(InternalError)], 503: [code(DatabaseUnavailableError)] };
  const input: string[] = [];
  if ((operation.parameters?.length ?? 0) > 0 || operation.requestBody) input.push(code(ValidationFailedError));
  if (operation.requestBody) {
    input.push(code(MalformedJsonError));
    codes[413] = [code(PayloadTooLargeError)];
    codes[415] = [code(UnsupportedMediaTypeError)];
  }
  if (path.includes('{')) {
    input.push(code(MalformedUrlError));
    // The resource a path names may not exist (for this caller): its context's `*_NOT_FOUND`.
    codes[404] = [];
  }
  if (input.length > 0) codes[400] = input;
  return codes;
}

function code(error: { definition: { code: string } }): string {
  return error.definition.code;
}

class CodeCollector {
  readonly #codes = new Map<number, Set<string>>();

  add(codes: ErrorCodes): void {
    for (const [status, list] of Object.entries(codes)) {
      const set = this.#codes.get(Number(status)) ?? new Set<string>();
      for (const one of list) set.add(one);
      this.#codes.set(Number(status), set);
    }
  }

  byStatus(): [string, string[]][] {
    return [...this.#codes].toSorted(([a], [b]) => a - b).map(([status, set]) => [String(status), [...set].toSorted()]);
  }
}

function errorResponse(codes: readonly string[], status: number): OpenApiResponse {
  const description =
    codes.length > 0
      ? codes.map((one) => `\`${one}\``).join(', ')
      : status === 404
        ? 'The resource the path names does not exist for the caller: its `…_NOT_FOUND` code.'
        : 'An error.';
  const schema: JsonSchema =
    codes.length > 0 ? { allOf: [{ $ref: ERROR_SCHEMA_REF }, { properties: { code: { enum: [...codes] } } }] } : { $ref: ERROR_SCHEMA_REF };
  return { description, content: { 'application/json': { schema } } };
}
