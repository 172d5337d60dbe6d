import { lt } from 'drizzle-orm';
import { deleteDueRows, retentionCutoff, type AuthRateLimits, type SystemPurge } from '@keel/kernel';
import { authRateLimits } from './rate-limit-schema.ts';

/**
 * Sign-in counters whose window has ended count nothing more (the next attempt restarts the window
 * anyway): they go, so the table does not keep every address and email (TEN-072, RET-006).
 */
export function authRateLimitsPurge(limits: AuthRateLimits): SystemPurge {
  const longestWindowMs = Math.max(limits.perIp.windowMs, limits.perEmail.windowMs);
  return {
    scope: 'system',
    name: 'auth-rate-limits',
    purge: ({ database, now, limit }) =>
      deleteDueRows(database, { table: authRateLimits, due: lt(authRateLimits.windowStartedAt, retentionCutoff(now, { ms: longestWindowMs })), oldest: authRateLimits.windowStartedAt, limit }),
  };
}
