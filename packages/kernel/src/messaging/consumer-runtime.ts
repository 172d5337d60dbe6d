import { sql } from 'drizzle-orm';
import type { Clock } from '../clock/clock.ts';
import type { Database } from '../db/pools.ts';
import { asAppError } from '../errors/as-app-error.ts';
import type { AppError } from '../errors/app-error.ts';
import type { ErrorReporter } from '../errors/reporter.ts';
import type { Logger } from '../logging/logger.ts';
import { runWithContext } from '../tenancy/request-context.ts';
import type { WithTenant } from '../tenancy/with-tenant.ts';
import type { ConsumerDefinition } from './consumer.ts';
import { MessagePayloadInvalidError, MessageTenantMissingError } from './consumer-errors.ts';
import type { Envelope } from './envelope.ts';
import { deadLetterQueueOf, type QueueDriver, type QueueSubscription } from './queue-driver.ts';
import { retryDelayMs, type RetryPolicy } from './retry-policy.ts';
import { deadLetters, processedMessages } from './tables.ts';

export interface ConsumerRuntimeOptions {
  driver: QueueDriver;
  /** Tenant-scoped transactions on the app role: effect and ledger row commit together. */
  withTenant: WithTenant;
  /** The worker role: dead letters are written outside the failed tenant transaction. */
  workerDatabase: Database;
  retryPolicy: RetryPolicy;
  concurrency: number;
  visibilityTimeoutMs: number;
  clock: Clock;
  random: () => number;
  logger: Logger;
  reporter: ErrorReporter;
}

export type DeliveryOutcome = 'applied' | 'duplicate' | 'retry-scheduled' | 'dead-lettered';

export interface ConsumerRuntime {
  /** Subscribes every consumer to its queue. */
  start(consumers: readonly ConsumerDefinition<never>[]): Promise<void>;
  /** Handles one delivery as the queue subscription does (exposed for the feed and for tests). */
  deliver(consumer: ConsumerDefinition<never>, envelope: Envelope): Promise<DeliveryOutcome>;
  stop(): Promise<void>;
}

/**
 * Runs consumers the same way on every queue driver: the effect and the ledger row commit in one
 * tenant transaction (a duplicate finds the row and does nothing); a failure is retried with
 * backoff by sending the event again with `attempt + 1`, and after the last attempt it becomes a
 * dead letter. The original delivery is acknowledged in every case once that is recorded; only a
 * crash leaves it to the transport, whose own dead-letter queue is the last net.
 */
export function createConsumerRuntime(options: ConsumerRuntimeOptions): ConsumerRuntime {
  const subscriptions: QueueSubscription[] = [];

  async function apply(consumer: ConsumerDefinition<never>, envelope: Envelope & { tenantId: string }): Promise<'applied' | 'duplicate'> {
    const parsed = consumer.payload.safeParse(envelope.payload);
    if (!parsed.success) throw new MessagePayloadInvalidError({ cause: parsed.error });
    return runWithContext({ requestId: envelope.eventId, tenantId: envelope.tenantId }, async () => {
      const prepared = await consumer.prepare?.({ tenantId: envelope.tenantId, envelope, payload: parsed.data });
      return options.withTenant(async (tx, tenantId) => {
        const recorded = await tx
          .insert(processedMessages)
          .values({ tenantId, consumer: consumer.name, eventId: envelope.eventId })
          .onConflictDoNothing()
          .returning({ eventId: processedMessages.eventId });
        if (recorded.length === 0) return 'duplicate';
        await consumer.handle({ tx, tenantId, envelope, payload: parsed.data, prepared });
        return 'applied';
      });
    });
  }

  /**
   * No tenant to file a dead letter under, and retrying cannot help: straight to the transport's
   * dead-letter queue, where operators look for what no tenant owns — once per delivery, however
   * many consumers the queue has.
   */
  async function moveTenantlessEvent(queue: string, envelope: Envelope): Promise<'dead-lettered'> {
    const failure = new MessageTenantMissingError();
    options.reporter.report(failure);
    await options.driver.send(deadLetterQueueOf(queue), [{ envelope }]);
    options.logger.warn({ queue, eventId: envelope.eventId, code: failure.code }, 'message without a tenant moved to the dead-letter queue');
    return 'dead-lettered';
  }

  async function deliver(consumer: ConsumerDefinition<never>, envelope: Envelope): Promise<DeliveryOutcome> {
    if (envelope.tenantId === null) return moveTenantlessEvent(consumer.queue, envelope);
    const tenantEnvelope = { ...envelope, tenantId: envelope.tenantId };
    try {
      return await apply(consumer, tenantEnvelope);
    } catch (error) {
      const failure = asAppError(error);
      if (failure.report) options.reporter.report(failure);
      const policy = consumer.retryPolicy ?? options.retryPolicy;
      if (envelope.attempt < policy.maxAttempts) {
        const delayMs = retryDelayMs(envelope.attempt, policy, options.random);
        const retry = { ...envelope, attempt: envelope.attempt + 1, consumer: consumer.name };
        await options.driver.send(consumer.queue, [{ envelope: retry, delayMs }]);
        options.logger.info({ consumer: consumer.name, eventId: envelope.eventId, attempt: envelope.attempt, code: failure.code, delayMs }, 'message failed; retry scheduled');
        return 'retry-scheduled';
      }
      await recordDeadLetter(consumer, tenantEnvelope, failure);
      options.logger.warn({ consumer: consumer.name, eventId: envelope.eventId, attempts: envelope.attempt, code: failure.code }, 'message dead-lettered');
      return 'dead-lettered';
    }
  }

  async function recordDeadLetter(consumer: ConsumerDefinition<never>, envelope: Envelope & { tenantId: string }, failure: AppError): Promise<void> {
    const now = options.clock.now();
    const row = {
      tenantId: envelope.tenantId,
      consumer: consumer.name,
      eventId: envelope.eventId,
      type: envelope.type,
      payload: envelope.payload,
      occurredAt: new Date(envelope.occurredAt),
      attempts: envelope.attempt,
      lastErrorCode: failure.code,
      lastErrorAt: now,
    };
    await options.workerDatabase
      .insert(deadLetters)
      .values(row)
      .onConflictDoUpdate({
        target: [deadLetters.tenantId, deadLetters.consumer, deadLetters.eventId],
        set: {
          attempts: row.attempts,
          lastErrorCode: row.lastErrorCode,
          lastErrorAt: row.lastErrorAt,
          // A replayed one that failed again is open again; a discarded one stays discarded.
          status: sql`case when ${deadLetters.status} = 'discarded' then 'discarded' else 'open' end`,
          version: sql`${deadLetters.version} + 1`,
          updatedAt: now,
        },
      });
  }

  /** One subscription per queue; each delivery goes to its target, or to every consumer of its type. */
  async function subscribe(queue: string, consumers: readonly ConsumerDefinition<never>[]): Promise<void> {
    await options.driver.ensureQueue(queue);
    const subscription = await options.driver.consume(
      queue,
      async (envelope) => {
        const recipients = consumers.filter((consumer) =>
          envelope.consumer === undefined ? consumer.eventTypes.includes(envelope.type) : consumer.name === envelope.consumer,
        );
        // Normal for central's events: a region handles only the types it needs.
        if (recipients.length === 0) options.logger.debug({ queue, type: envelope.type, consumer: envelope.consumer }, 'no consumer for this event; acknowledged');
        else if (envelope.tenantId === null) await moveTenantlessEvent(queue, envelope);
        else for (const consumer of recipients) await deliver(consumer, envelope);
      },
      { concurrency: options.concurrency, visibilityTimeoutMs: options.visibilityTimeoutMs },
    );
    subscriptions.push(subscription);
  }

  return {
    async start(consumers) {
      const byQueue = Map.groupBy(consumers, (consumer) => consumer.queue);
      for (const [queue, members] of byQueue) await subscribe(queue, members);
    },
    deliver,
    async stop() {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
    },
  };
}
