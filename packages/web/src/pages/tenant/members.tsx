import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useRouter } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { keel } from '../../api/keel.ts';
import type { Invitation, Member, Role } from '../../api/types.ts';
import { Button } from '../../components/button.tsx';
import { Card } from '../../components/card.tsx';
import { SelectField } from '../../components/field.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryView } from '../../components/page-state.tsx';
import { ConfirmDialog } from '../../components/team/confirm-dialog.tsx';
import { InviteForm } from '../../components/team/invite-form.tsx';
import { InvitationsTable, MembersTable } from '../../components/team/members-table.tsx';
import { grantableRoles } from '../../components/team/permissions.ts';
import { teamApi } from '../../components/team/team-api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrganization, useTenantKey } from '../../session/organization.tsx';
import { organizationsQuery, sessionQuery } from '../../session/queries.ts';

/** The change a dialog asks to confirm. */
type Pending = { kind: 'role'; member: Member } | { kind: 'remove'; member: Member } | { kind: 'revoke'; invitation: Invitation } | { kind: 'leave' };

/**
 * The organization's team: its members and pending invitations. Everyone sees both and may leave;
 * admins and owners invite, change roles, remove and revoke — each only as far as the role table
 * allows them (the owner role is for owners to give and take). Every change is confirmed first.
 */
export function MembersPage() {
  const { t, errorMessage } = useI18n();
  const organization = useOrganization();
  const key = useTenantKey();
  const queryClient = useQueryClient();
  const router = useRouter();
  const navigate = useNavigate();
  const me = useQuery(sessionQuery).data?.user.id;
  const members = useQuery({ queryKey: key('members'), queryFn: () => keel.central.members(organization.id) });
  const invitations = useQuery({ queryKey: key('invitations'), queryFn: () => keel.central.invitations(organization.id) });
  const [pending, setPending] = useState<Pending | null>(null);
  const [role, setRole] = useState<Role>('member');
  const membersHeading = useId();
  const invitationsHeading = useId();

  /** The account's own organizations and role changed: the header, navigation and this page follow. */
  async function refreshMyOrganizations() {
    await queryClient.invalidateQueries({ queryKey: organizationsQuery.queryKey, refetchType: 'all' });
    await router.invalidate();
  }

  const action = useMutation({
    mutationFn: async (change: Pending) => {
      switch (change.kind) {
        case 'role':
          return teamApi.changeRole(organization.id, change.member.userId, role);
        case 'remove':
          return teamApi.removeMember(organization.id, change.member.userId);
        case 'revoke':
          return teamApi.revokeInvitation(organization.id, change.invitation.id);
        case 'leave':
          return teamApi.leave(organization.id);
      }
    },
    onSuccess: async (_result, change) => {
      setPending(null);
      if (change.kind === 'leave') {
        await queryClient.invalidateQueries({ queryKey: organizationsQuery.queryKey, refetchType: 'all' });
        await navigate({ to: '/' });
        queryClient.removeQueries({ queryKey: key() });
        return;
      }
      await queryClient.invalidateQueries({ queryKey: key(change.kind === 'revoke' ? 'invitations' : 'members') });
      if (change.kind === 'role' && change.member.userId === me) await refreshMyOrganizations();
    },
  });

  function ask(change: Pending) {
    action.reset();
    if (change.kind === 'role') setRole(change.member.role);
    setPending(change);
  }

  const mayInvite = grantableRoles(organization.role).length > 0;
  return (
    <>
      <PageHeader title={t('members.title')} description={t('members.description', { organization: organization.name })} />
      {mayInvite && <InviteForm />}

      <section aria-labelledby={membersHeading} className="mb-8">
        <h2 id={membersHeading} className="mb-3 text-lg font-semibold text-slate-900">
          {t('members.listTitle')}
        </h2>
        <QueryView query={members} isEmpty={(list) => list.items.length === 0} empty={t('members.empty')}>
          {(list) => (
            <MembersTable
              members={list.items}
              actorRole={organization.role}
              me={me}
              onChangeRole={(member) => ask({ kind: 'role', member })}
              onRemove={(member) => ask({ kind: 'remove', member })}
            />
          )}
        </QueryView>
      </section>

      <section aria-labelledby={invitationsHeading} className="mb-8">
        <h2 id={invitationsHeading} className="mb-3 text-lg font-semibold text-slate-900">
          {t('members.invitations')}
        </h2>
        <QueryView query={invitations} isEmpty={(list) => list.items.length === 0} empty={t('members.noInvitations')}>
          {(list) => <InvitationsTable invitations={list.items} actorRole={organization.role} onRevoke={(invitation) => ask({ kind: 'revoke', invitation })} />}
        </QueryView>
      </section>

      <Card className="border-l-4 border-red-700">
        <h2 className="text-lg font-semibold text-slate-900">{t('members.leave.title')}</h2>
        <p className="mt-1 text-sm text-slate-700">{t('members.leave.description', { organization: organization.name })}</p>
        <Button variant="danger" className="mt-4" onClick={() => ask({ kind: 'leave' })}>
          {t('members.leave.button')}
        </Button>
      </Card>

      {pending !== null && (
        <PendingDialog
          pending={pending}
          role={role}
          onRole={setRole}
          busy={action.isPending}
          error={action.isError ? errorMessage(action.error) : null}
          onConfirm={() => action.mutate(pending)}
          onCancel={() => setPending(null)}
        />
      )}
    </>
  );
}

interface PendingDialogProps {
  pending: Pending;
  role: Role;
  onRole(role: Role): void;
  busy: boolean;
  error: string | null;
  onConfirm(): void;
  onCancel(): void;
}

/** The words of each confirmation. */
function PendingDialog({ pending, role, onRole, busy, error, onConfirm, onCancel }: PendingDialogProps) {
  const { t } = useI18n();
  const organization = useOrganization();
  const common = { busy, error, onConfirm, onCancel };
  switch (pending.kind) {
    case 'role':
      return (
        <ConfirmDialog
          {...common}
          variant="primary"
          title={t('members.changeRoleTitle', { name: pending.member.name })}
          message={t('members.changeRoleMessage', { name: pending.member.name, email: pending.member.email })}
          confirmLabel={t('members.changeRoleConfirm')}
          busyLabel={t('team.saving')}
        >
          <SelectField label={t('members.newRole')} name="role" value={role} onChange={(event) => onRole(event.target.value as Role)}>
            {grantableRoles(organization.role).map((option) => (
              <option key={option} value={option}>
                {t(`role.${option}`)}
              </option>
            ))}
          </SelectField>
        </ConfirmDialog>
      );
    case 'remove':
      return (
        <ConfirmDialog
          {...common}
          title={t('members.removeTitle', { name: pending.member.name })}
          message={t('members.removeMessage', { name: pending.member.name, email: pending.member.email, organization: organization.name })}
          confirmLabel={t('members.removeConfirm')}
          busyLabel={t('team.removing')}
        />
      );
    case 'revoke':
      return (
        <ConfirmDialog
          {...common}
          title={t('members.revokeTitle')}
          message={t('members.revokeMessage', { email: pending.invitation.email })}
          confirmLabel={t('members.revokeConfirm')}
          busyLabel={t('team.revoking')}
        />
      );
    case 'leave':
      return (
        <ConfirmDialog
          {...common}
          title={t('members.leave.confirmTitle', { organization: organization.name })}
          message={t('members.leave.confirmMessage')}
          confirmLabel={t('members.leave.confirm')}
          busyLabel={t('members.leave.busy')}
        />
      );
  }
}
