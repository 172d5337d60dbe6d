import type { Logger } from '../logging/logger.ts';
import { asAppError } from './as-app-error.ts';
import type { ErrorReporter } from './reporter.ts';

export interface FailureStreakMessages {
  /** The first failure of a streak: reported and logged as a warning. */
  failed: string;
  /** Each further failure of the streak: logged at debug level only. */
  failedAgain: string;
  /** The first success after a streak. */
  recovered: string;
}

/**
 * For a background loop that keeps retrying something (pulling central's feed, reporting usage):
 * one report per streak of failures — a peer down for an hour is one incident, not thousands.
 */
export function createFailureStreak(options: { reporter: ErrorReporter; logger: Logger; messages: FailureStreakMessages }) {
  let failures = 0;
  return {
    failed(error: unknown): void {
      failures += 1;
      const failure = asAppError(error);
      if (failures === 1) {
        options.reporter.report(failure);
        options.logger.warn({ code: failure.code, err: error }, options.messages.failed);
      } else {
        options.logger.debug({ code: failure.code, err: error, failures }, options.messages.failedAgain);
      }
    },
    succeeded(): void {
      if (failures > 0) options.logger.info({ failures }, options.messages.recovered);
      failures = 0;
    },
  };
}
