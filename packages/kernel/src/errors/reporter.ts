import { NodeClient, Scope, defaultStackParser, makeNodeTransport } from '@sentry/node';
import type { Logger } from '../logging/logger.ts';
import { currentContext } from '../tenancy/request-context.ts';
import type { AppError } from './app-error.ts';

/** Where errors with `report: true` go: the log by default, Sentry when SENTRY_DSN is set. */
export interface ErrorReporter {
  report(error: AppError): void;
  /** Waits until reports in flight are delivered (at shutdown, in tests). */
  flush(timeoutMs: number): Promise<boolean>;
}

export function createLogReporter(logger: Logger): ErrorReporter {
  return {
    report(error) {
      logger.error({ err: error.cause ?? error, code: error.code }, 'reported error');
    },
    flush: async () => true,
  };
}

/**
 * A Sentry client of our own rather than `Sentry.init`: no global state, no auto-instrumentation,
 * so two Keel apps (or tests) in one process never share an error tracker.
 */
export function createSentryReporter(options: { dsn: string; environment: string; logger: Logger }): ErrorReporter {
  const client = new NodeClient({
    dsn: options.dsn,
    environment: options.environment,
    transport: makeNodeTransport,
    stackParser: defaultStackParser,
    integrations: [],
  });
  client.init();
  const logReporter = createLogReporter(options.logger);
  return {
    report(error) {
      logReporter.report(error);
      const scope = new Scope();
      scope.setClient(client);
      const context = currentContext();
      scope.setTags({ code: error.code, requestId: context?.requestId, tenantId: context?.tenantId });
      if (context?.userId) scope.setUser({ id: context.userId });
      client.captureException(error.cause ?? error, { data: { code: error.code } }, scope);
    },
    flush: async (timeoutMs) => client.flush(timeoutMs),
  };
}
