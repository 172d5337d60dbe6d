import { and, eq } from 'drizzle-orm';
import { defineConsumer, processedMessages, type Clock, type ConsumerDefinition, type RetryPolicy, type TenantTransaction, type WithTenant } from '@keel/kernel';
import { recordUsage } from '../plans/usage-meter.ts';
import { WEBHOOK_DELIVERY_CONSUMER } from './fan-out.ts';
import { webhookDeliveries, webhookEndpoints } from './schema.ts';
import type { SecretBox } from './secret-box.ts';
import type { WebhookAttemptResult, WebhookSender } from './send-webhook.ts';
import { WEBHOOK_HEADERS, signatureHeader } from './signature.ts';
import { WEBHOOK_DELIVERY_EVENT, webhookBody, webhookDeliveryJob, type WebhookDeliveryJob } from './webhook-events.ts';

export interface WebhookDeliveryOptions {
  withTenant: WithTenant;
  sender: WebhookSender;
  secretBox: SecretBox;
  clock: Clock;
  retryPolicy: RetryPolicy;
}

interface Attempt {
  tenantId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  attempt: number;
}

/** What `prepare` hands to `handle`: nothing to record (endpoint gone or disabled, job done), or a delivered attempt. */
type Prepared = { delivered: false } | { delivered: true; attempt: Attempt; result: WebhookAttemptResult };

/**
 * Delivers one job to its endpoint, signed, and logs the attempt. The POST happens in `prepare`,
 * holding no database connection while the receiver takes its time. Success: the log row and the
 * `webhook.deliveries` usage commit with the ledger row. Failure: the log row commits on its own
 * and the typed error goes to the runtime, which retries with the webhook backoff and files a dead
 * letter after the last attempt; a replay sends the same job (same event id) again. A disabled or
 * deleted endpoint gets nothing more.
 */
export function createWebhookDelivery(options: WebhookDeliveryOptions): ConsumerDefinition<WebhookDeliveryJob> {
  return defineConsumer({
    name: WEBHOOK_DELIVERY_CONSUMER,
    queue: 'webhook-deliveries',
    eventTypes: [WEBHOOK_DELIVERY_EVENT],
    payload: webhookDeliveryJob,
    retryPolicy: options.retryPolicy,
    async prepare({ tenantId, envelope, payload }): Promise<Prepared> {
      const target = await options.withTenant((tx) => loadTarget(tx, tenantId, payload.endpointId, envelope.eventId));
      if (!target || target.endpoint.status !== 'active' || target.done) return { delivered: false };
      const { endpoint } = target;
      const now = options.clock.now();
      const sealed = [endpoint.secretCiphertext];
      if (endpoint.previousSecretCiphertext !== null && endpoint.previousSecretExpiresAt !== null && endpoint.previousSecretExpiresAt > now) {
        sealed.push(endpoint.previousSecretCiphertext);
      }
      const body = webhookBody(tenantId, payload.event);
      const timestamp = Math.floor(now.getTime() / 1000);
      const result = await options.sender.send({
        url: endpoint.url,
        body,
        headers: {
          [WEBHOOK_HEADERS.id]: payload.event.id,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.event]: payload.event.type,
          [WEBHOOK_HEADERS.signature]: signatureHeader(
            sealed.map((secret) => options.secretBox.open(secret, tenantId)),
            timestamp,
            body,
          ),
        },
      });
      const attempt = { tenantId, endpointId: endpoint.id, eventId: payload.event.id, eventType: payload.event.type, attempt: envelope.attempt };
      if (result.ok) return { delivered: true, attempt, result };
      await options.withTenant((tx) => logAttempt(tx, attempt, result));
      throw result.error;
    },
    async handle({ tx, tenantId, prepared }) {
      const outcome = prepared as Prepared;
      if (!outcome.delivered) return;
      await logAttempt(tx, outcome.attempt, outcome.result);
      await recordUsage(tx, tenantId, 'webhook.deliveries');
    },
  });
}

/** The endpoint, and whether this job already took effect (a redelivery after success sends nothing). */
async function loadTarget(tx: TenantTransaction, tenantId: string, endpointId: string, jobId: string) {
  const [row] = await tx
    .select({ endpoint: webhookEndpoints, done: processedMessages.eventId })
    .from(webhookEndpoints)
    .leftJoin(
      processedMessages,
      and(eq(processedMessages.tenantId, tenantId), eq(processedMessages.consumer, WEBHOOK_DELIVERY_CONSUMER), eq(processedMessages.eventId, jobId)),
    )
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, endpointId)));
  return row && { endpoint: row.endpoint, done: row.done !== null };
}

async function logAttempt(tx: TenantTransaction, attempt: Attempt, result: WebhookAttemptResult): Promise<void> {
  await tx.insert(webhookDeliveries).values({
    ...attempt,
    outcome: result.ok ? 'delivered' : 'failed',
    statusCode: result.statusCode,
    durationMs: result.durationMs,
    errorCode: result.ok ? null : result.error.code,
  });
}
