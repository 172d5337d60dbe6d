import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature scheme receivers verify (README, "Webhooks"), in the style of Stripe's:
 *
 *   keel-webhook-id:        the event id — the same on every retry and replay; deduplicate on it
 *   keel-webhook-timestamp: Unix seconds when this attempt was signed
 *   keel-webhook-signature: t=<timestamp>,v1=<hex HMAC-SHA256(secret, `${timestamp}.${body}`)>
 *
 * The HMAC key is the whole secret string (`whsec_…`) as UTF-8; `body` is the raw request body.
 * Right after a rotation there are two `v1=` entries (new secret, then the previous one) until the
 * previous one expires; a receiver accepts the request if any `v1` matches a secret it holds.
 */
export const WEBHOOK_HEADERS = {
  id: 'keel-webhook-id',
  timestamp: 'keel-webhook-timestamp',
  signature: 'keel-webhook-signature',
  event: 'keel-webhook-event',
} as const;

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The `keel-webhook-signature` header: one `v1` per secret in force. */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${signatureOf(secret, timestamp, body)}`)].join(',');
}

/**
 * What a receiver does (the README's snippet is this function): the timestamp within `toleranceS`
 * of now (replays of an old request fail), and a `v1` that matches, compared in constant time.
 */
export function verifyWebhookSignature(options: { secret: string; body: string; header: string; nowS: number; toleranceS?: number }): boolean {
  const parts = options.header.split(',').map((part) => part.split('=') as [string, string]);
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(timestamp) || Math.abs(options.nowS - timestamp) > (options.toleranceS ?? 300)) return false;
  const expected = Buffer.from(signatureOf(options.secret, timestamp, options.body), 'hex');
  return parts.some(([key, value]) => {
    const given = Buffer.from(value ?? '', 'hex');
    return key === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}
