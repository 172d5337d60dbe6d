import { z } from 'zod';
import { envelopeSchema } from '@keel/kernel';

/**
 * Central's event feed as regions read it: `GET /api/central/feed?region=&after=&waitMs=` with
 * `Authorization: Bearer <region credential>`. Positions only grow; a region keeps the last one
 * it applied and asks for what comes after.
 */
export const CENTRAL_FEED_PATH = '/api/central/feed';
export const MAX_FEED_WAIT_MS = 25_000;

export const feedQuerySchema = z.strictObject({
  region: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/),
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Long-poll: when nothing is new, wait up to this long for an event before answering. */
  waitMs: z.coerce.number().int().min(0).max(MAX_FEED_WAIT_MS).default(0),
});

export const feedPageSchema = z.object({
  events: z.array(z.object({ position: z.number().int(), envelope: envelopeSchema })),
  /** Pass as `after` next time (the last position returned, or `after` itself when none). */
  next: z.number().int(),
});

export type FeedPage = z.infer<typeof feedPageSchema>;

/** With FEED_DRIVER=sns: the message attribute regions filter on, and its value for every region. */
export const SNS_REGION_ATTRIBUTE = 'region';
export const SNS_EVERY_REGION = '*';

/** Event types central publishes, with their payloads. */
export const tenantCreatedPayload = z.object({
  tenantId: z.uuid(),
  name: z.string().min(1),
  currency: z.string().length(3),
  timezone: z.string().min(1),
});
export type TenantCreatedPayload = z.infer<typeof tenantCreatedPayload>;

export const tenantRenamedPayload = z.object({ tenantId: z.uuid(), name: z.string().min(1) });
export type TenantRenamedPayload = z.infer<typeof tenantRenamedPayload>;

/**
 * Tokens central signed for `subject` in the tenant with `iat` at or before `revokedAt` (central's
 * clock, the one that stamps `iat`) no longer hold: the member was removed or changed role, or the
 * API key was revoked. `subject` is a token's `sub`: a user id, or `apikey:<id>`.
 */
export const tokensRevokedPayload = z.object({
  tenantId: z.uuid(),
  subject: z.string().min(1),
  revokedAt: z.iso.datetime(),
  reason: z.enum(['member.removed', 'member.role_changed', 'api_key.revoked']),
});
export type TokensRevokedPayload = z.infer<typeof tokensRevokedPayload>;

/**
 * Asks the home region to fill a new demo tenant with sample data (`keel start`'s seed): stores,
 * products, orders over the 90 days before `asOf` (central's clock), reviews.
 */
export const demoDataRequestedPayload = z.object({
  tenantId: z.uuid(),
  profile: z.enum(['full', 'small']),
  asOf: z.iso.datetime(),
});
export type DemoDataRequestedPayload = z.infer<typeof demoDataRequestedPayload>;

export const CENTRAL_EVENT_TYPES = {
  tenantCreated: 'tenant.created',
  tenantRenamed: 'tenant.renamed',
  /** Published for a member removed (or who left), a member whose role changed, and a revoked API key. */
  tokensRevoked: 'tokens.revoked',
  demoDataRequested: 'tenant.demo_data_requested',
} as const;

/** The `sub` of tokens signed for an API key. */
export function apiKeySubject(apiKeyId: string): string {
  return `apikey:${apiKeyId}`;
}
