import { currentContext, type Database } from '@keel/kernel';
import type { CentralTransaction } from '../feed/append-to-feed.ts';
import { auditEvents } from './schema.ts';

export type AuditAction =
  | 'user.signed_in'
  | 'user.password_changed'
  | 'user.password_reset'
  | 'organization.created'
  | 'organization.renamed'
  | 'invitation.created'
  | 'invitation.revoked'
  | 'invitation.accepted'
  | 'member.role_changed'
  | 'member.removed'
  | 'member.left'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'subscription.upgraded'
  | 'subscription.downgrade_scheduled'
  | 'subscription.downgraded'
  | 'subscription.cancelled'
  | 'subscription.resumed'
  | 'subscription.renewed'
  | 'subscription.fell_back_to_free';

export interface AuditEntry {
  organizationId: string | null;
  /** `system`: a change no one asked for at that moment (a subscription period ending). */
  actor: { userId: string } | { apiKeyId: string } | 'system';
  action: AuditAction;
  details?: Record<string, unknown>;
  /** From the composed clock, like token times. */
  at: Date;
}

/**
 * Appends to the audit log, in the transaction of the change it records (so an entry exists
 * exactly when the change does), with the request id of the current request.
 */
export async function recordAudit(executor: Database | CentralTransaction, entry: AuditEntry): Promise<void> {
  await executor.insert(auditEvents).values({
    organizationId: entry.organizationId,
    actorUserId: entry.actor !== 'system' && 'userId' in entry.actor ? entry.actor.userId : null,
    actorApiKeyId: entry.actor !== 'system' && 'apiKeyId' in entry.actor ? entry.actor.apiKeyId : null,
    action: entry.action,
    details: entry.details ?? {},
    requestId: currentContext()?.requestId ?? null,
    occurredAt: entry.at,
  });
}
