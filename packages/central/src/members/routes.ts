import { z } from 'zod';
import { noBody, type HttpApp } from '@keel/kernel';
import type { CentralDeps } from '../central-deps.ts';
import { requireMember } from '../organizations/require-member.ts';
import { organizationSchema } from '../organizations/schemas.ts';
import { requireSession } from '../organizations/session.ts';
import { acceptInvitation, createInvitation, listPendingInvitations, previewInvitation, revokeInvitation } from './invitations.ts';
import { changeMemberRole, leaveOrganization, listMembers, removeMember } from './members.ts';
import {
  acceptInvitationBody,
  changeRoleBody,
  createdInvitationSchema,
  createInvitationBody,
  invitationList,
  invitationParams,
  invitationPreviewSchema,
  memberList,
  memberParams,
  memberSchema,
  organizationParams,
  previewQuery,
} from './schemas.ts';

const tags = ['members'];
const noContent = { 204: z.null() };

/**
 * An organization's members and invitations, under `/api/central/organizations/:organizationId`
 * (signed-in members, with the role the table in specs/tenancy.md asks for), and the invitation
 * links' own endpoints under `/api/central/invitations`.
 */
export function memberRoutes(app: HttpApp, deps: CentralDeps): void {
  const { database, clock } = deps;

  app.get('/organizations/:organizationId/members', { schema: { tags, params: organizationParams, response: { 200: memberList } } }, async (request) => {
    await requireMember(request, deps, request.params.organizationId, 'member');
    return { items: await listMembers(database, request.params.organizationId) };
  });

  app.patch(
    '/organizations/:organizationId/members/:userId',
    { schema: { tags, params: memberParams, body: changeRoleBody, response: { 200: memberSchema } } },
    async (request) => {
      const { userId: actorId } = await requireSession(request, deps);
      return changeMemberRole(database, clock, { ...request.params, actorId, role: request.body.role });
    },
  );

  app.delete('/organizations/:organizationId/members/:userId', { schema: { tags, params: memberParams, response: noContent } }, async (request, reply) => {
    const { userId: actorId } = await requireSession(request, deps);
    await removeMember(database, clock, { ...request.params, actorId });
    return reply.status(204).send(null);
  });

  app.post('/organizations/:organizationId/leave', { schema: { tags, params: organizationParams, body: noBody, response: noContent } }, async (request, reply) => {
    const { userId: actorId } = await requireSession(request, deps);
    await leaveOrganization(database, clock, { organizationId: request.params.organizationId, actorId });
    return reply.status(204).send(null);
  });

  app.get('/organizations/:organizationId/invitations', { schema: { tags, params: organizationParams, response: { 200: invitationList } } }, async (request) => {
    await requireMember(request, deps, request.params.organizationId, 'member');
    return { items: await listPendingInvitations(database, clock, request.params.organizationId) };
  });

  app.post(
    '/organizations/:organizationId/invitations',
    { schema: { tags, params: organizationParams, body: createInvitationBody, response: { 201: createdInvitationSchema } } },
    async (request, reply) => {
      const { userId: actorId } = await requireSession(request, deps);
      const invitation = await createInvitation(deps, { organizationId: request.params.organizationId, actorId, body: request.body });
      return reply.status(201).send(invitation);
    },
  );

  app.delete('/organizations/:organizationId/invitations/:invitationId', { schema: { tags, params: invitationParams, response: noContent } }, async (request, reply) => {
    const { userId: actorId } = await requireSession(request, deps);
    await revokeInvitation(database, clock, { ...request.params, actorId });
    return reply.status(204).send(null);
  });

  // No session: the accept page shows the invitation before its visitor signs in or up.
  app.get('/invitations/preview', { schema: { tags, querystring: previewQuery, response: { 200: invitationPreviewSchema } } }, async (request) =>
    previewInvitation(database, clock, request.query.token),
  );

  app.post('/invitations/accept', { schema: { tags, body: acceptInvitationBody, response: { 200: organizationSchema } } }, async (request) => {
    const { userId } = await requireSession(request, deps);
    return acceptInvitation(database, clock, { userId, token: request.body.token });
  });
}
