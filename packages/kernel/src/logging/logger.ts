import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { currentContext } from '../tenancy/request-context.ts';

export type { Logger };

/** One JSON line per event; request id, tenant id and user id come from the request context. */
export function createLogger(options: { level: LevelWithSilent; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'keel' },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin() {
        const context = currentContext();
        if (!context) return {};
        return { requestId: context.requestId, tenantId: context.tenantId, userId: context.userId };
      },
    },
    // Synchronous writes: lines keep their order and none is lost when the process exits.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
