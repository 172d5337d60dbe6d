import type { Invitation, Member, Role } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Button } from '../button.tsx';
import { CELL, Table } from '../card.tsx';
import { DateTime } from '../formatted.tsx';
import { canManage } from './permissions.ts';

/** A role as a small label. */
export function RoleBadge({ role }: { role: Role }) {
  const { t } = useI18n();
  const colours: Record<Role, string> = { owner: 'bg-indigo-100 text-indigo-900', admin: 'bg-sky-100 text-sky-900', member: 'bg-slate-100 text-slate-800' };
  return <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${colours[role]}`}>{t(`role.${role}`)}</span>;
}

interface MembersTableProps {
  members: Member[];
  /** The signed-in account's role and user id: what it may do to each row. */
  actorRole: Role;
  me: string | undefined;
  onChangeRole(member: Member): void;
  onRemove(member: Member): void;
}

/** The organization's members; the actions column only for people who may use it. */
export function MembersTable({ members, actorRole, me, onChangeRole, onRemove }: MembersTableProps) {
  const { t } = useI18n();
  const manages = members.some((member) => canManage(actorRole, member.role));
  const head = [t('field.name'), t('field.email'), t('members.role'), t('members.joinedAt'), ...(manages ? [t('team.actions')] : [])];
  return (
    <Table caption={t('members.title')} head={head}>
      {members.map((member) => (
        <tr key={member.userId}>
          <td className={`${CELL} font-medium text-slate-900`}>
            {member.name}
            {member.userId === me && <span className="ml-2 text-xs font-normal text-slate-600">{t('members.you')}</span>}
          </td>
          <td className={CELL}>{member.email}</td>
          <td className={CELL}>
            <RoleBadge role={member.role} />
          </td>
          <td className={CELL}>
            <DateTime iso={member.joinedAt} style="date" />
          </td>
          {manages && (
            <td className={CELL}>
              {canManage(actorRole, member.role) && (
                <div className="flex flex-wrap gap-2">
                  <Button variant="secondary" className="py-1" aria-label={t('members.changeRoleOf', { name: member.name })} onClick={() => onChangeRole(member)}>
                    {t('members.changeRole')}
                  </Button>
                  {member.userId !== me && (
                    <Button variant="secondary" className="py-1 text-red-800!" aria-label={t('members.removeName', { name: member.name })} onClick={() => onRemove(member)}>
                      {t('members.remove')}
                    </Button>
                  )}
                </div>
              )}
            </td>
          )}
        </tr>
      ))}
    </Table>
  );
}

interface InvitationsTableProps {
  invitations: Invitation[];
  actorRole: Role;
  onRevoke(invitation: Invitation): void;
}

/** Invitations not yet accepted, revoked or expired. */
export function InvitationsTable({ invitations, actorRole, onRevoke }: InvitationsTableProps) {
  const { t } = useI18n();
  const manages = invitations.some((invitation) => canManage(actorRole, invitation.role));
  const head = [t('field.email'), t('members.role'), t('members.invitedBy'), t('members.expiresAt'), ...(manages ? [t('team.actions')] : [])];
  return (
    <Table caption={t('members.invitations')} head={head}>
      {invitations.map((invitation) => (
        <tr key={invitation.id}>
          <td className={`${CELL} font-medium text-slate-900`}>{invitation.email}</td>
          <td className={CELL}>
            <RoleBadge role={invitation.role} />
          </td>
          <td className={CELL}>{invitation.invitedBy.name}</td>
          <td className={CELL}>
            <DateTime iso={invitation.expiresAt} />
          </td>
          {manages && (
            <td className={CELL}>
              {canManage(actorRole, invitation.role) && (
                <Button variant="secondary" className="py-1 text-red-800!" aria-label={t('members.revokeInvitationOf', { email: invitation.email })} onClick={() => onRevoke(invitation)}>
                  {t('members.revokeInvitation')}
                </Button>
              )}
            </td>
          )}
        </tr>
      ))}
    </Table>
  );
}
