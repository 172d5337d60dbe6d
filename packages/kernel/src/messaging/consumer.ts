import type { z } from 'zod';
import type { TenantTransaction } from '../tenancy/with-tenant.ts';
import type { Envelope } from './envelope.ts';
import type { RetryPolicy } from './retry-policy.ts';

export interface ConsumerContext<Payload> {
  /** The tenant-scoped transaction the effect and the ledger row commit in together. */
  tx: TenantTransaction;
  tenantId: string;
  envelope: Envelope;
  payload: Payload;
  /** What `prepare` returned, if the consumer has one. */
  prepared?: unknown;
}

/**
 * A consumer of events: its name keys the idempotency ledger, its queue is where the relay puts
 * the event types it subscribes to. `handle` runs inside the tenant's transaction and must do its
 * whole effect there (or be idempotent on the event id when it reaches the outside world).
 */
export interface ConsumerDefinition<Payload = unknown> {
  name: string;
  queue: string;
  eventTypes: readonly string[];
  payload: z.ZodType<Payload>;
  handle(context: ConsumerContext<Payload>): Promise<void>;
  /**
   * Work done before the transaction, on no connection (a call to the outside world that may be
   * slow: a webhook), its result handed to `handle`. It runs again on every redelivery, so it must
   * be safe to repeat; throwing counts as a failed attempt.
   */
  prepare?(context: Omit<ConsumerContext<Payload>, 'tx' | 'prepared'>): Promise<unknown>;
  /** Its own attempts and backoff (outbound webhooks); default: the runtime's. */
  retryPolicy?: RetryPolicy;
}

export function defineConsumer<Payload>(definition: ConsumerDefinition<Payload>): ConsumerDefinition<Payload> {
  return definition;
}

export interface MessageRoutes {
  /** The queues of the consumers subscribed to an event type. */
  queuesFor(type: string): readonly string[];
  /** The queue a consumer listens on (replays and retries target one consumer). */
  queueOf(consumer: string): string;
  /** Whether this deployment runs a consumer of that name. */
  runs(consumer: string): boolean;
}

/**
 * Several consumers may share a queue: the runtime hands each delivery to every consumer of that
 * queue subscribed to its type (each with its own ledger row), or to the one it targets.
 */
export function messageRoutes(consumers: readonly ConsumerDefinition<never>[]): MessageRoutes {
  const byType = new Map<string, Set<string>>();
  const byConsumer = new Map<string, string>();
  for (const consumer of consumers) {
    byConsumer.set(consumer.name, consumer.queue);
    for (const type of consumer.eventTypes) byType.set(type, (byType.get(type) ?? new Set()).add(consumer.queue));
  }
  return {
    queuesFor: (type) => [...(byType.get(type) ?? [])],
    runs: (consumer) => byConsumer.has(consumer),
    queueOf: (consumer) => {
      const queue = byConsumer.get(consumer);
      if (queue === undefined) throw new Error(`no consumer named ${consumer}`);
      return queue;
    },
  };
}
