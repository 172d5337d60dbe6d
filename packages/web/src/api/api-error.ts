/** One offending field of a `VALIDATION_FAILED` answer: `body.name`, `query.limit`, … and the rule it broke. */
export interface ErrorDetail {
  path: string;
  rule: string;
}

/** The code of an ApiError raised when Keel could not be reached at all (no HTTP answer). */
export const NETWORK_ERROR = 'NETWORK_ERROR';

/**
 * Keel's error answer `{code, requestId, details?}` as thrown by every API call of the app. The
 * code is what the app shows people, translated (i18n/errors.*.ts); the request id is what they
 * quote to support.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  readonly details: readonly ErrorDetail[];

  constructor(input: { status: number; code: string; requestId?: string | null; details?: readonly ErrorDetail[]; cause?: unknown }) {
    super(`${input.status} ${input.code}`, { cause: input.cause });
    this.name = 'ApiError';
    this.status = input.status;
    this.code = input.code;
    this.requestId = input.requestId ?? null;
    this.details = input.details ?? [];
  }
}

/** Reads Keel's error body; an answer without one (a proxy's page) still gets a code: `HTTP_<status>`. */
export async function apiErrorFrom(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return new ApiError({
    status: response.status,
    code: typeof fields.code === 'string' ? fields.code : `HTTP_${response.status}`,
    requestId: typeof fields.requestId === 'string' ? fields.requestId : response.headers.get('x-request-id'),
    details: Array.isArray(fields.details) ? (fields.details as ErrorDetail[]) : [],
  });
}
