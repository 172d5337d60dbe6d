import { hkdfSync, randomBytes } from 'node:crypto';
import type { Clock, ConsumerDefinition, Logger, WebhookConfig, WithTenant } from '@keel/kernel';
import { createWebhookDelivery } from './deliver-webhook.ts';
import { webhookFanOut } from './fan-out.ts';
import { createSecretBox, type SecretBox } from './secret-box.ts';
import { createWebhookSender } from './send-webhook.ts';
import type { TargetPolicy } from './target-policy.ts';

export interface Webhooks {
  secretBox: SecretBox;
  policy: TargetPolicy;
  secretRotationOverlapMs: number;
  /** The fan-out (order events → one job per endpoint) and the delivery consumer. */
  consumers: readonly ConsumerDefinition<never>[];
  close(): void;
}

/**
 * The webhooks capability of a region. Without WEBHOOK_SECRET_KEY (refused in production) the key
 * is derived from `fallbackKeyMaterial` — the embedded data directory's secret, stable across
 * restarts — or made up for this process only, and secrets sealed with it cannot be read after a
 * restart (deliveries then fail with WEBHOOK_SECRET_UNREADABLE until the secret is rotated).
 */
export function createWebhooks(options: { config: WebhookConfig; fallbackKeyMaterial?: string | undefined; withTenant: WithTenant; clock: Clock; logger: Logger }): Webhooks {
  const { config } = options;
  const keyMaterial = config.secretKey ?? fallbackKey(options.fallbackKeyMaterial, options.logger);
  const secretBox = createSecretBox(keyMaterial);
  const policy = { allowPrivateTargets: config.allowPrivateTargets };
  const sender = createWebhookSender({ ...policy, timeoutMs: config.timeoutMs });
  const delivery = createWebhookDelivery({ withTenant: options.withTenant, sender, secretBox, clock: options.clock, retryPolicy: config.retry });
  return {
    secretBox,
    policy,
    secretRotationOverlapMs: config.secretRotationOverlapMs,
    consumers: [webhookFanOut, delivery] as ConsumerDefinition<never>[],
    close: () => sender.close(),
  };
}

function fallbackKey(material: string | undefined, logger: Logger): string {
  if (material !== undefined) return Buffer.from(hkdfSync('sha256', material, 'keel', 'keel webhook secret key', 32)).toString('base64url');
  logger.warn('WEBHOOK_SECRET_KEY is unset: webhook secrets are sealed with a key made up for this process and cannot be read after a restart');
  return randomBytes(32).toString('base64url');
}
