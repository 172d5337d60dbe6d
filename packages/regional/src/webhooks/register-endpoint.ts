import type { WithTenant } from '@keel/kernel';
import { ensureRoomFor } from '../plans/plan-limits.ts';
import { webhookEndpoints } from './schema.ts';
import { newWebhookSecret, type SecretBox } from './secret-box.ts';
import { checkTargetUrl, type TargetPolicy } from './target-policy.ts';
import type { WebhookEndpointRow } from './queries.ts';

export interface RegisterEndpointInput {
  url: string;
  eventTypes: string[];
  description: string;
}

/**
 * Registers an endpoint with a new secret, returned once and stored only sealed (WHK-002, WHK-004),
 * within the plan's `webhookEndpoints` (402 PLAN_LIMIT_REACHED).
 */
export async function registerEndpoint(
  withTenant: WithTenant,
  deps: { secretBox: SecretBox; policy: TargetPolicy; now: Date },
  input: RegisterEndpointInput,
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  checkTargetUrl(new URL(input.url), deps.policy);
  const secret = newWebhookSecret();
  const endpoint = await withTenant(async (tx, tenantId) => {
    await ensureRoomFor(tx, tenantId, 'webhookEndpoints', deps.now);
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ tenantId, url: input.url, eventTypes: input.eventTypes, description: input.description, secretCiphertext: deps.secretBox.seal(secret, tenantId) })
      .returning();
    return row!;
  });
  return { endpoint, secret };
}
