/**
 * Keel's one error hierarchy. Each bounded context declares its errors next to its code with
 * `defineError`; the class carries a stable machine code, an HTTP status and whether the error
 * reaches the error tracker. The API returns codes, never human copy.
 */
export interface ErrorDefinition {
  /** Stable, SCREAMING_SNAKE_CASE; clients and translations key on it. */
  readonly code: string;
  readonly status: number;
  /** True when an occurrence is a defect or an outage someone must look at. */
  readonly report: boolean;
  /** One sentence for the generated catalogue (docs/errors.md), not sent to clients. */
  readonly description: string;
}

export interface ErrorDetail {
  /** Where the problem is, e.g. `body.name` or `query.limit`. */
  readonly path: string;
  /** The rule it broke, e.g. `too_small`, `invalid_type`, `unrecognized_key`. */
  readonly rule: string;
}

export interface AppErrorOptions {
  cause?: unknown;
  details?: readonly ErrorDetail[];
  /** Extra response headers, e.g. `Retry-After`. */
  headers?: Readonly<Record<string, string>>;
}

export abstract class AppError extends Error {
  static readonly definition: ErrorDefinition;
  readonly code: string;
  readonly status: number;
  readonly report: boolean;
  readonly details: readonly ErrorDetail[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  protected constructor(definition: ErrorDefinition, options: AppErrorOptions = {}) {
    super(definition.code, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = definition.code;
    this.status = definition.status;
    this.report = definition.report;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export type AppErrorClass = (abstract new (...args: never[]) => AppError) & { readonly definition: ErrorDefinition };

/** `export class StoreNotFoundError extends defineError({ code: 'STORE_NOT_FOUND', … }) {}` */
export function defineError(definition: Omit<ErrorDefinition, 'report'> & { report?: boolean }) {
  const complete: ErrorDefinition = { report: false, ...definition };
  return class extends AppError {
    static override readonly definition = complete;
    constructor(options?: AppErrorOptions) {
      super(complete, options);
    }
  };
}

export function isAppErrorClass(value: unknown): value is AppErrorClass {
  return typeof value === 'function' && value.prototype instanceof AppError && 'definition' in value;
}
