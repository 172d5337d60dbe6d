import { createRetentionJob, type AuthRateLimits, type Clock, type Database, type ErrorReporter, type Logger, type RetentionJob, type RetentionPurge } from '@keel/kernel';
import { authRateLimitsPurge } from '../identity/auth-rate-limits-retention.ts';

/** What central lets go of (specs/retention.md): each context contributes its purge. */
export function centralPurges(deps: { authRateLimits: AuthRateLimits }): RetentionPurge[] {
  return [authRateLimitsPurge(deps.authRateLimits)];
}

export interface CentralRetentionOptions {
  /** Central's app role: its counters are central's own tables, without tenant row-level security. */
  database: Database;
  authRateLimits: AuthRateLimits;
  intervalMs: number;
  batchSize: number;
  clock: Clock;
  logger: Logger;
  reporter: ErrorReporter;
}

export function createCentralRetention(options: CentralRetentionOptions): RetentionJob {
  return createRetentionJob({
    purges: centralPurges(options),
    systemDatabase: options.database,
    intervalMs: options.intervalMs,
    batchSize: options.batchSize,
    clock: options.clock,
    logger: options.logger,
    reporter: options.reporter,
  });
}
