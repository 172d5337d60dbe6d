import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { ApiError } from '../api/api-error.ts';
import { keel } from '../api/keel.ts';
import type { InvitationPreview } from '../api/types.ts';
import { Button, LINK_CLASSES } from '../components/button.tsx';
import { FormError } from '../components/card.tsx';
import { PageState } from '../components/page-state.tsx';
import { InvitationAuth } from '../components/team/invitation-auth.tsx';
import { RoleBadge } from '../components/team/members-table.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { organizationsQuery, sessionQuery } from '../session/queries.ts';
import { AuthCard } from './auth-card.tsx';

/**
 * The invitation link's page (`/invitations/accept?token=…`): what the invitation is for (no
 * session needed), then accepting it as the invited email — signing up or in right here first when
 * nobody is signed in — and landing in the organization. A revoked, expired or used link, or the
 * wrong account, is said in words.
 */
export function AcceptInvitationPage() {
  const { t } = useI18n();
  const { token } = useSearch({ from: '/_public/invitations/accept' });
  const preview = useQuery({ queryKey: ['invitation', token], queryFn: () => keel.central.previewInvitation(token ?? ''), enabled: token !== undefined });

  let content;
  if (token === undefined) content = <PageState kind="empty" message={t('invitation.noToken')} />;
  else if (preview.isPending) content = <PageState kind="loading" />;
  else if (preview.isError) content = <PageState kind="error" error={preview.error} />;
  else content = <Invitation token={token} invitation={preview.data} />;
  return (
    <AuthCard title={t('invitation.title')} footer={<FooterLink />}>
      {content}
    </AuthCard>
  );
}

function FooterLink() {
  const { t } = useI18n();
  const session = useQuery(sessionQuery);
  if (!session.data) return null;
  return (
    <Link to="/" className={LINK_CLASSES}>
      {t('invitation.later')}
    </Link>
  );
}

function Invitation({ token, invitation }: { token: string; invitation: InvitationPreview }) {
  const { t, errorMessage, dateTime } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useQuery(sessionQuery);
  const accept = useMutation({
    mutationFn: () => keel.central.acceptInvitation(token),
    onSuccess: async (organization) => {
      // The account's organizations now include this one, with the invited role.
      queryClient.removeQueries({ queryKey: organizationsQuery.queryKey });
      await navigate({ to: '/t/$slug/stores', params: { slug: organization.slug } });
    },
  });
  const signOut = useMutation({
    mutationFn: () => keel.auth.signOut(),
    onSuccess: () => {
      queryClient.setQueryData(sessionQuery.queryKey, null);
      queryClient.removeQueries({ queryKey: organizationsQuery.queryKey });
    },
  });

  async function signedIn() {
    queryClient.removeQueries({ queryKey: organizationsQuery.queryKey });
    await queryClient.invalidateQueries({ queryKey: sessionQuery.queryKey });
  }

  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const signedInAs = session.data?.user.email;
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-800">{t('invitation.summary', { organization: invitation.organizationName, role: t(`role.${invitation.role}`), email: invitation.email })}</p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 rounded-md bg-slate-50 p-4 text-sm">
        <dt className="font-medium text-slate-900">{t('invitation.organization')}</dt>
        <dd className="text-slate-800">{invitation.organizationName}</dd>
        <dt className="font-medium text-slate-900">{t('members.role')}</dt>
        <dd>
          <RoleBadge role={invitation.role} />
        </dd>
        <dt className="font-medium text-slate-900">{t('field.email')}</dt>
        <dd className="break-all text-slate-800">{invitation.email}</dd>
        <dt className="font-medium text-slate-900">{t('invitation.expires')}</dt>
        <dd className="text-slate-800">
          <time dateTime={invitation.expiresAt}>{dateTime(invitation.expiresAt, timeZone)}</time>
        </dd>
      </dl>
      {session.isPending ? (
        <PageState kind="loading" />
      ) : signedInAs === undefined ? (
        <InvitationAuth email={invitation.email} onSignedIn={signedIn} />
      ) : signedInAs.toLowerCase() !== invitation.email.toLowerCase() ? (
        // Keel would refuse it (INVITATION_EMAIL_MISMATCH): say so before, and offer the way out.
        <div className="space-y-3">
          <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-3 text-sm text-amber-950">
            <p className="font-medium">{errorMessage(new ApiError({ status: 403, code: 'INVITATION_EMAIL_MISMATCH' }))}</p>
            <p className="mt-1">{t('invitation.signedInAs', { email: signedInAs })}</p>
          </div>
          <FormError message={signOut.isError ? errorMessage(signOut.error) : null} />
          <Button className="w-full" variant="secondary" onClick={() => signOut.mutate()} busy={signOut.isPending} busyLabel={t('team.signingOut')}>
            {t('invitation.switchAccount', { email: invitation.email })}
          </Button>
        </div>
      ) : (
        <div className="space-y-3">
          <p className="text-sm text-slate-700">{t('invitation.signedInAs', { email: signedInAs })}</p>
          <FormError message={accept.isError ? errorMessage(accept.error) : null} />
          <Button className="w-full" onClick={() => accept.mutate()} busy={accept.isPending} busyLabel={t('invitation.busy')}>
            {t('invitation.accept')}
          </Button>
        </div>
      )}
    </div>
  );
}
