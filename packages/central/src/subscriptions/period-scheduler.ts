import { and, asc, eq, isNotNull, lte, notInArray } from 'drizzle-orm';
import { asAppError, createRelayLoop, type Clock, type Database, type ErrorReporter, type Logger } from '@keel/kernel';
import { organizations } from '../organizations/schema.ts';
import type { PaymentProvider } from './payments.ts';
import { subscriptions } from './schema.ts';
import { settleDue } from './subscription-changes.ts';

export interface SubscriptionPeriods {
  /**
   * Processes every subscription whose period end is at or before central's clock now, each in a
   * transaction of its own holding its row; resolves with how many it processed. A subscription
   * that fails (its charge could not be made) is reported and left for the next pass.
   */
  processDue(): Promise<number>;
}

export interface SubscriptionPeriodsDeps {
  database: Database;
  clock: Clock;
  payments: PaymentProvider;
  logger: Logger;
  reporter: ErrorReporter;
}

/**
 * Period ends (specs/subscriptions.md): renewals, downgrades taking effect, cancelled plans falling
 * back to Free. A due row is claimed `FOR UPDATE SKIP LOCKED`, so several central instances share
 * the work and each period end is applied once: a second instance skips the row while the first
 * holds it and finds it no longer due once it committed. The charge of a period carries the
 * period's idempotency key, so a pass that dies between charging and committing charges nothing
 * more when the next pass applies that period end again.
 */
export function createSubscriptionPeriods(deps: SubscriptionPeriodsDeps): SubscriptionPeriods {
  /** Claims and settles one due subscription (not one that failed in this pass). */
  async function processOne(failed: ReadonlySet<string>): Promise<{ outcome: 'none' | 'processed' } | { outcome: 'failed'; organizationId: string }> {
    let claimed: string | undefined;
    try {
      return await deps.database.transaction(async (tx) => {
        const now = deps.clock.now();
        const [row] = await tx
          .select()
          .from(subscriptions)
          .where(and(isNotNull(subscriptions.currentPeriodEnd), lte(subscriptions.currentPeriodEnd, now), failed.size > 0 ? notInArray(subscriptions.organizationId, [...failed]) : undefined))
          .orderBy(asc(subscriptions.currentPeriodEnd))
          .limit(1)
          .for('update', { skipLocked: true });
        if (!row) return { outcome: 'none' } as const;
        claimed = row.organizationId;
        const [organization] = await tx.select({ id: organizations.id, homeRegion: organizations.homeRegion }).from(organizations).where(eq(organizations.id, row.organizationId));
        await settleDue({ tx, payments: deps.payments, now, organization: organization!, actor: 'system' }, row);
        return { outcome: 'processed' } as const;
      });
    } catch (error) {
      if (claimed === undefined) throw error;
      const failure = asAppError(error);
      deps.reporter.report(failure);
      deps.logger.warn({ code: failure.code, err: error, organizationId: claimed }, "a subscription's period end failed; it is tried again at the next pass");
      return { outcome: 'failed', organizationId: claimed };
    }
  }

  return {
    async processDue() {
      const failed = new Set<string>();
      let processed = 0;
      for (;;) {
        const result = await processOne(failed);
        if (result.outcome === 'none') return processed;
        if (result.outcome === 'failed') failed.add(result.organizationId);
        else processed += 1;
      }
    },
  };
}

export interface PeriodScheduler {
  start(): void;
  stop(): Promise<void>;
}

/** Processes due period ends every `intervalMs` (SUBSCRIPTION_PERIOD_INTERVAL_MS) while started. */
export function createPeriodScheduler(deps: { periods: SubscriptionPeriods; intervalMs: number; logger: Logger; reporter: ErrorReporter }): PeriodScheduler {
  const loop = createRelayLoop({
    intervalMs: deps.intervalMs,
    async pass() {
      const processed = await deps.periods.processDue();
      if (processed > 0) deps.logger.info({ processed }, 'subscription period ends processed');
    },
    onError(error) {
      const failure = asAppError(error);
      deps.reporter.report(failure);
      deps.logger.warn({ code: failure.code, err: error }, 'processing subscription period ends failed; retrying');
    },
  });
  return { start: () => loop.start(), stop: () => loop.stop() };
}
