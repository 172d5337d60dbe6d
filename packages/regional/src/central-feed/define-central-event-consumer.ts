import type { z } from 'zod';
import { MessagePayloadInvalidError, defineConsumer, type ConsumerContext, type ConsumerDefinition } from '@keel/kernel';
import { CENTRAL_EVENTS_QUEUE } from './central-events-queue.ts';

/**
 * A consumer of one of central's per-tenant events, on the central-events queue. The payload names
 * its tenant too; one that disagrees with the envelope's is refused (dead-lettered), never applied
 * to either tenant.
 */
export function defineCentralEventConsumer<Payload extends { tenantId: string }>(definition: {
  name: string;
  eventType: string;
  payload: z.ZodType<Payload>;
  handle(context: ConsumerContext<Payload>): Promise<void>;
}): ConsumerDefinition<Payload> {
  return defineConsumer({
    name: definition.name,
    queue: CENTRAL_EVENTS_QUEUE,
    eventTypes: [definition.eventType],
    payload: definition.payload,
    async handle(context) {
      if (context.payload.tenantId !== context.tenantId) throw new MessagePayloadInvalidError();
      await definition.handle(context);
    },
  });
}
