import { z } from 'zod';
import { tenantRoleSchema } from '../contracts/access-token.ts';

export const organizationParams = z.strictObject({ organizationId: z.uuid() });
export const memberParams = z.strictObject({ organizationId: z.uuid(), userId: z.uuid() });
export const invitationParams = z.strictObject({ organizationId: z.uuid(), invitationId: z.uuid() });

export const memberSchema = z.object({
  userId: z.uuid(),
  name: z.string(),
  email: z.string(),
  role: tenantRoleSchema,
  joinedAt: z.iso.datetime(),
});
export type MemberDto = z.infer<typeof memberSchema>;
export const memberList = z.object({ items: z.array(memberSchema) });

export const changeRoleBody = z.strictObject({ role: tenantRoleSchema });

/** Trimmed and lower-cased before it is checked, stored and compared. */
const invitedEmail = z.string().max(254).trim().toLowerCase().pipe(z.email());

export const createInvitationBody = z.strictObject({ email: invitedEmail, role: tenantRoleSchema });
export type CreateInvitationBody = z.infer<typeof createInvitationBody>;

export const createdInvitationSchema = z.object({ id: z.uuid(), email: z.string(), role: tenantRoleSchema, expiresAt: z.iso.datetime() });
export type CreatedInvitationDto = z.infer<typeof createdInvitationSchema>;

export const invitationSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: tenantRoleSchema,
  invitedBy: z.object({ userId: z.uuid(), name: z.string() }),
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
});
export type InvitationDto = z.infer<typeof invitationSchema>;
export const invitationList = z.object({ items: z.array(invitationSchema) });

/** The secret of an invitation link (43 base64url characters); anything else is simply not found. */
const invitationToken = z.string().min(1).max(200);

export const previewQuery = z.strictObject({ token: invitationToken });
export const invitationPreviewSchema = z.object({ organizationName: z.string(), email: z.string(), role: tenantRoleSchema, expiresAt: z.iso.datetime() });
export type InvitationPreviewDto = z.infer<typeof invitationPreviewSchema>;

export const acceptInvitationBody = z.strictObject({ token: invitationToken });
