import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '@keel/kernel';
import { auditEvents, memberships, users } from '../schema.ts';
import { encodeAuditCursor, type AuditCursor, type AuditEntryDto } from './schemas.ts';

/**
 * One page of an organization's audit log, newest first, in one statement whatever its size: the
 * organization's own entries plus the sign-ins of the users who are its members now, each with
 * its acting user's email and name joined in.
 */
export async function listAudit(
  database: Database,
  input: { organizationId: string; limit: number; after: AuditCursor | undefined },
): Promise<{ items: AuditEntryDto[]; nextCursor: string | null }> {
  const members = database.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.organizationId, input.organizationId));
  const rows = await database
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      actorUserId: auditEvents.actorUserId,
      actorApiKeyId: auditEvents.actorApiKeyId,
      details: auditEvents.details,
      requestId: auditEvents.requestId,
      occurredAt: auditEvents.occurredAt,
      email: users.email,
      name: users.name,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(
      and(
        or(
          eq(auditEvents.organizationId, input.organizationId),
          and(isNull(auditEvents.organizationId), eq(auditEvents.action, 'user.signed_in'), inArray(auditEvents.actorUserId, members)),
        ),
        input.after ? sql`(${auditEvents.occurredAt}, ${auditEvents.id}) < (${input.after.occurredAt.toISOString()}::timestamptz, ${input.after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toDto),
    nextCursor: rows.length > input.limit && last ? encodeAuditCursor(last) : null,
  };
}

function toDto(row: {
  id: string;
  action: string;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  details: unknown;
  requestId: string | null;
  occurredAt: Date;
  email: string | null;
  name: string | null;
}): AuditEntryDto {
  const actor = row.actorUserId !== null ? { userId: row.actorUserId, email: row.email, name: row.name } : row.actorApiKeyId !== null ? { apiKeyId: row.actorApiKeyId } : null;
  return { id: row.id, action: row.action, actor, details: row.details as Record<string, unknown>, requestId: row.requestId, occurredAt: row.occurredAt.toISOString() };
}
