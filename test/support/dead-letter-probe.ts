import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineConsumer, defineError, type ConsumerDefinition } from '@keel/kernel';
import type { TestKeel } from './keel.ts';
import { waitUntil } from './queue-driver-contract.ts';

/**
 * Real dead letters for tests: a probe consumer of `store.created` (queue `probes`) that fails
 * while told to, so a store created through the API becomes a dead letter once the probe has
 * used up MESSAGE_MAX_ATTEMPTS. Pass it to `startTestKeel(env, { consumers })`.
 */
export class ProbeBrokenError extends defineError({ code: 'PROBE_BROKEN', status: 500, description: 'The probe consumer is switched to fail.' }) {}

const storeCreated = z.object({ storeId: z.uuid(), name: z.string(), version: z.number() });

/** Fails while `fails()` is true; otherwise records its effect in `probe_effects` (the test creates that table). */
export function probeConsumer(name: string, fails: () => boolean): ConsumerDefinition<never> {
  return defineConsumer({
    name,
    queue: 'probes',
    eventTypes: ['store.created'],
    payload: storeCreated,
    async handle({ tx, tenantId, envelope }) {
      if (fails()) throw new ProbeBrokenError();
      await tx.execute(sql`insert into probe_effects (tenant_id, consumer, event_id) values (${tenantId}, ${name}, ${envelope.eventId})`);
    },
  }) as ConsumerDefinition<never>;
}

export interface DeadLetterSummary {
  id: string;
  eventId: string;
  [key: string]: unknown;
}

/** The newest open dead letter of the tenant, once the consumer has given up (no event to wait on but the row). */
export async function waitForDeadLetter(keel: TestKeel, tenantId: string): Promise<DeadLetterSummary> {
  const openOnes = async () => {
    const headers = await keel.authorization(tenantId, { role: 'admin' });
    const listed = await keel.app.inject({ method: 'GET', url: '/api/v1/dead-letters?status=open&limit=200', headers });
    return listed.json<{ items: DeadLetterSummary[] }>().items;
  };
  const seen = new Set((await openOnes()).map((item) => item.id));
  let found: DeadLetterSummary | undefined;
  await waitUntil(async () => {
    found = (await openOnes()).find((item) => !seen.has(item.id));
    return found !== undefined;
  });
  return found!;
}
