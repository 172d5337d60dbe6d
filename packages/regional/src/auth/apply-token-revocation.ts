import { sql } from 'drizzle-orm';
import { CENTRAL_EVENT_TYPES, tokensRevokedPayload } from '@keel/central/contracts';
import { defineCentralEventConsumer } from '../central-feed/define-central-event-consumer.ts';
import { tokenRevocations } from '../schema.ts';

/**
 * Applies central's `tokens.revoked`: from now on the region refuses the subject's tokens issued
 * at or before `revokedAt`. Keeps the latest revocation, so events applied out of order (SNS) or
 * twice change nothing more.
 */
export const applyTokenRevocation = defineCentralEventConsumer({
  name: 'token-revocation',
  eventType: CENTRAL_EVENT_TYPES.tokensRevoked,
  payload: tokensRevokedPayload,
  async handle({ tx, tenantId, payload }) {
    const revokedAt = new Date(payload.revokedAt);
    await tx
      .insert(tokenRevocations)
      .values({ tenantId, subject: payload.subject, revokedAt, reason: payload.reason })
      .onConflictDoUpdate({
        target: [tokenRevocations.tenantId, tokenRevocations.subject],
        set: { revokedAt, reason: payload.reason },
        setWhere: sql`${tokenRevocations.revokedAt} < ${revokedAt}`,
      });
  },
});
