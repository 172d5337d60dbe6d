import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSchema } from '@keel/kernel';

/**
 * The audit log is ordered by time, newest first; ids are random, so the cursor is the position
 * of the last entry seen (its time and id), wrapped to stay opaque to clients.
 */
export interface AuditCursor {
  occurredAt: Date;
  id: string;
}

const cursorPayload = z.object({ at: z.iso.datetime(), id: z.uuid() });

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify({ at: cursor.occurredAt.toISOString(), id: cursor.id })).toString('base64url');
}

const auditCursor = z
  .string()
  .max(256)
  .transform((value, context): AuditCursor => {
    try {
      const payload = cursorPayload.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
      return { occurredAt: new Date(payload.at), id: payload.id };
    } catch {
      context.addIssue({ code: 'custom', message: 'invalid cursor', params: { rule: 'invalid_cursor' } });
      return z.NEVER;
    }
  });

export const auditParams = z.strictObject({ organizationId: z.uuid() });

export const auditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: auditCursor.optional(),
});

/** A user (email and name null once the account is gone), an API key, or nobody (the system). */
const actorSchema = z.union([
  z.object({ userId: z.uuid(), email: z.string().nullable(), name: z.string().nullable() }),
  z.object({ apiKeyId: z.uuid() }),
  z.null(),
]);

export const auditEntrySchema = z.object({
  id: z.uuid(),
  action: z.string(),
  actor: actorSchema,
  details: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
  occurredAt: z.iso.datetime(),
});
export type AuditEntryDto = z.infer<typeof auditEntrySchema>;

export const auditPage = pageSchema(auditEntrySchema);
