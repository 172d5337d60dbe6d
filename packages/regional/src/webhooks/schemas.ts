import { z } from 'zod';
import { pageSchema, paginationQuery, plainText } from '@keel/kernel';
import { webhookAttemptOutcomes, webhookEndpointStatuses } from './schema.ts';
import { webhookEventType } from './webhook-events.ts';

const version = z.number().int().min(1).max(2_147_483_647);
const queryVersion = z.coerce.number().pipe(version);

/** An absolute http(s) URL without credentials or fragment; https and the address are checked by the target policy. */
const endpointUrl = z
  .url({ protocol: /^https?$/ })
  .max(2_048)
  .refine((value) => {
    const url = URL.parse(value);
    return url === null || (url.username === '' && url.password === '' && url.hash === '');
  }, { message: 'must carry no credentials and no fragment', params: { rule: 'url_parts' } });

const eventTypes = z
  .array(webhookEventType)
  .min(1)
  .refine((types) => new Set(types).size === types.length, { message: 'must not repeat an event type', params: { rule: 'unique' } });

export const webhookEndpointSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  status: z.enum(webhookEndpointStatuses),
  /** Until when the previous secret still signs too, after a rotation; null when none does. */
  previousSecretExpiresAt: z.iso.datetime().nullable(),
  version: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type WebhookEndpointDto = z.infer<typeof webhookEndpointSchema>;

/** The answer to registration and rotation: the only time the secret is shown. */
export const webhookEndpointWithSecret = webhookEndpointSchema.extend({ secret: z.string() });

export const webhookDeliverySchema = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  eventType: z.string(),
  attempt: z.number().int(),
  outcome: z.enum(webhookAttemptOutcomes),
  statusCode: z.number().int().nullable(),
  durationMs: z.number().int(),
  errorCode: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type WebhookDeliveryDto = z.infer<typeof webhookDeliverySchema>;

export const endpointParams = z.strictObject({ endpointId: z.uuid() });
export const registerEndpointBody = z.strictObject({ url: endpointUrl, eventTypes, description: plainText({ min: 0, max: 200 }).default('') });
export const changeEndpointBody = z.strictObject({
  status: z.enum(webhookEndpointStatuses).optional(),
  eventTypes: eventTypes.optional(),
  description: plainText({ min: 0, max: 200 }).optional(),
  version,
});
export const deleteEndpointQuery = z.strictObject({ version: queryVersion });
export const listEndpointsQuery = paginationQuery;
export const endpointPage = pageSchema(webhookEndpointSchema);
/** Newest attempt first. */
export const listDeliveriesQuery = paginationQuery;
export const deliveryPage = pageSchema(webhookDeliverySchema);
