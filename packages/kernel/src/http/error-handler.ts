import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorDetail } from '../errors/app-error.ts';
import { asAppError } from '../errors/as-app-error.ts';
import {
  MalformedJsonError,
  PayloadTooLargeError,
  RouteNotFoundError,
  UnsupportedMediaTypeError,
  ValidationFailedError,
} from '../errors/errors.ts';
import type { ErrorReporter } from '../errors/reporter.ts';

/**
 * One handler for every route of every layer: an `AppError` becomes its status and
 * `{"code","requestId"}`; framework failures get Keel codes; anything else is a reported 500
 * whose body says nothing about internals.
 */
export function installErrorHandler(app: FastifyInstance, reporter: ErrorReporter): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.report) reporter.report(appError);
    else request.log.info({ code: appError.code, status: appError.status }, 'request refused');
    const body: Record<string, unknown> = { code: appError.code, requestId: request.id };
    if (appError.details) body.details = appError.details;
    return reply.status(appError.status).headers(appError.headers).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    return reply.status(404).send({ code: RouteNotFoundError.definition.code, requestId: request.id });
  });
}

const FASTIFY_ERRORS: Record<string, () => AppError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => new PayloadTooLargeError(),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new UnsupportedMediaTypeError(),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new MalformedJsonError(),
  FST_ERR_CTP_INVALID_JSON_BODY: () => new MalformedJsonError(),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new MalformedJsonError(),
};

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    // Fastify names the query string `querystring`; paths in `details` say `query.limit`.
    const where = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body');
    return new ValidationFailedError({ details: validationDetails(error.validation, where) });
  }
  const fastifyError = error as Partial<FastifyError>;
  const mapped = fastifyError.code ? FASTIFY_ERRORS[fastifyError.code] : undefined;
  if (mapped) return mapped();
  // The JSON body parser throws a plain SyntaxError with a 400 status.
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) return new MalformedJsonError();
  return asAppError(error);
}

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

function validationDetails(issues: readonly ValidationIssue[], where: string): ErrorDetail[] {
  return issues.flatMap((issue) => {
    const path = [where, ...issue.instancePath.split('/').filter(Boolean)].join('.');
    // zod reports all unknown keys in one issue; a client wants one detail per field.
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params.keys)) {
      return issue.params.keys.map((key) => ({ path: `${path}.${String(key)}`, rule: 'unrecognized_key' }));
    }
    return [{ path, rule: customRule(issue) ?? issue.keyword }];
  });
}

/** Refinements name their rule with `params: { rule }`, e.g. `invalid_cursor`. */
function customRule(issue: ValidationIssue): string | undefined {
  const params = issue.params.params as { rule?: unknown } | undefined;
  return typeof params?.rule === 'string' ? params.rule : undefined;
}
