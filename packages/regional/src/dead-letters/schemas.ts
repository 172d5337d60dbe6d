import { z } from 'zod';
import { deadLetterStatuses, pageSchema, paginationQuery } from '@keel/kernel';

export const deadLetterSummary = z.object({
  id: z.uuid(),
  consumer: z.string(),
  eventId: z.uuid(),
  type: z.string(),
  attempts: z.number().int(),
  lastErrorCode: z.string(),
  lastErrorAt: z.iso.datetime(),
  status: z.enum(deadLetterStatuses),
  version: z.number().int(),
});

export const deadLetterDetail = deadLetterSummary.extend({
  occurredAt: z.iso.datetime(),
  payload: z.json(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export type DeadLetterDetail = z.infer<typeof deadLetterDetail>;

export const deadLetterParams = z.strictObject({ deadLetterId: z.uuid() });
export const listDeadLettersQuery = paginationQuery.extend({ status: z.enum(deadLetterStatuses).optional() });
export const deadLetterPage = pageSchema(deadLetterSummary);
