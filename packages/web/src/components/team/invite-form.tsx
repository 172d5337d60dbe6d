import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/api-error.ts';
import type { Role } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrganization, useTenantKey } from '../../session/organization.tsx';
import { Button } from '../button.tsx';
import { Card, FormError } from '../card.tsx';
import { SelectField, TextField } from '../field.tsx';
import { grantableRoles } from './permissions.ts';
import { teamApi } from './team-api.ts';

/** Invites someone by email with a role the inviter may grant (owners only: owner). Keel emails them the link. */
export function InviteForm() {
  const { t, errorMessage } = useI18n();
  const organization = useOrganization();
  const key = useTenantKey();
  const queryClient = useQueryClient();
  const roles = grantableRoles(organization.role);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const invite = useMutation({
    mutationFn: () => teamApi.invite(organization.id, { email, role }),
    onSuccess: async (invitation) => {
      setSentTo(invitation.email);
      setEmail('');
      setRole('member');
      await queryClient.invalidateQueries({ queryKey: key('invitations') });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setSentTo(null);
    invite.mutate();
  }

  const emailInvalid = invite.error instanceof ApiError && invite.error.details.some((detail) => detail.path === 'body.email');
  return (
    <Card className="mb-8">
      <h2 className="text-lg font-semibold text-slate-900">{t('members.invite.title')}</h2>
      <p className="mt-1 text-sm text-slate-600">{t('members.invite.description')}</p>
      <form onSubmit={submit} className="mt-4 grid items-start gap-4 sm:grid-cols-[1fr_12rem_auto]" noValidate>
        <TextField
          label={t('field.email')}
          type="email"
          name="invite-email"
          autoComplete="off"
          required
          value={email}
          error={emailInvalid ? t('members.invite.invalidEmail') : undefined}
          onChange={(event) => setEmail(event.target.value)}
        />
        <SelectField label={t('members.role')} name="invite-role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
          {roles.map((option) => (
            <option key={option} value={option}>
              {t(`role.${option}`)}
            </option>
          ))}
        </SelectField>
        <Button type="submit" className="sm:mt-6" busy={invite.isPending} busyLabel={t('members.invite.busy')}>
          {t('members.invite.submit')}
        </Button>
      </form>
      <div className="mt-3 space-y-2">
        <FormError message={invite.isError && !emailInvalid ? errorMessage(invite.error) : null} />
        <div role="status">
          {sentTo !== null && <p className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">{t('members.invite.sent', { email: sentTo })}</p>}
        </div>
      </div>
    </Card>
  );
}
