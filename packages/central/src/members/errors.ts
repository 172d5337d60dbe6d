import { defineError } from '@keel/kernel';

export class OrgLastOwnerError extends defineError({
  code: 'ORG_LAST_OWNER',
  status: 409,
  description: 'The organization would be left without an owner: make another member owner first.',
}) {}

export class MemberNotFoundError extends defineError({
  code: 'MEMBER_NOT_FOUND',
  status: 404,
  description: 'This user is not a member of the organization.',
}) {}

export class MemberAlreadyExistsError extends defineError({
  code: 'MEMBER_ALREADY_EXISTS',
  status: 409,
  description: 'An account with this email already is a member of the organization.',
}) {}

export class InvitationNotFoundError extends defineError({
  code: 'INVITATION_NOT_FOUND',
  status: 404,
  description: 'No open invitation has this id or token (it never existed, was revoked, or was replaced by a newer one).',
}) {}

export class InvitationExpiredError extends defineError({
  code: 'INVITATION_EXPIRED',
  status: 410,
  description: 'The invitation has expired: ask an admin of the organization to invite you again.',
}) {}

export class InvitationAlreadyAcceptedError extends defineError({
  code: 'INVITATION_ALREADY_ACCEPTED',
  status: 409,
  description: 'The invitation has already been accepted; an invitation works once.',
}) {}

export class InvitationEmailMismatchError extends defineError({
  code: 'INVITATION_EMAIL_MISMATCH',
  status: 403,
  description: 'The invitation is for another email than the signed-in account: sign in (or sign up) with the invited email.',
}) {}
