import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { ApiError } from '../../api/api-error.ts';
import { keel } from '../../api/keel.ts';
import type { AuthSession } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { sessionQuery } from '../../session/queries.ts';
import { Button } from '../button.tsx';
import { CELL, FormError, Table } from '../card.tsx';
import { PageState } from '../page-state.tsx';
import { teamApi } from './team-api.ts';
import { describeUserAgent } from './user-agent.ts';

/** A device in words: "Chrome on Linux", or what is known of it. */
export function useDeviceName(): (userAgent: string | null) => string {
  const { t } = useI18n();
  return (userAgent) => {
    const { browser, system } = describeUserAgent(userAgent);
    if (browser !== null && system !== null) return t('team.device.browserOn', { browser, system });
    return browser ?? system ?? t('team.device.unknown');
  };
}

/**
 * Where the account is signed in: each session's device, address and times, this browser's marked.
 * Signing out a session ends it on the server; signing out this one signs this browser out.
 */
export function SessionsList({ sessionsKey }: { sessionsKey: readonly unknown[] }) {
  const { t, errorMessage, dateTime } = useI18n();
  const deviceName = useDeviceName();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const current = useQuery(sessionQuery).data?.session.id;
  const sessions = useQuery({ queryKey: sessionsKey, queryFn: () => keel.auth.sessions() });
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const revoke = useMutation({
    mutationFn: (session: AuthSession) => teamApi.revokeSession(session.token),
    onSuccess: async (_result, session) => {
      if (session.id !== current) {
        await queryClient.invalidateQueries({ queryKey: sessionsKey });
        return;
      }
      keel.tokens.clear();
      queryClient.clear();
      await navigate({ to: '/sign-in' });
    },
  });

  async function signInAgain() {
    await keel.auth.signOut().catch(() => undefined);
    queryClient.clear();
    await navigate({ to: '/sign-in', search: { redirect: '/account' } });
  }

  if (sessions.isPending) return <PageState kind="loading" />;
  if (sessions.isError) {
    // A session older than a day may not list sessions (AUTH_SESSION_NOT_FRESH): signing in again fixes it.
    if (sessions.error instanceof ApiError && sessions.error.code === 'AUTH_SESSION_NOT_FRESH') {
      return (
        <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-4">
          <p className="text-sm font-medium text-amber-950">{errorMessage(sessions.error)}</p>
          <Button className="mt-3" onClick={() => void signInAgain()}>
            {t('account.sessions.signInAgain')}
          </Button>
        </div>
      );
    }
    return <PageState kind="error" error={sessions.error} onRetry={() => void sessions.refetch()} />;
  }
  if (sessions.data.length === 0) return <PageState kind="empty" message={t('account.noSessions')} />;
  // This browser first, then the most recent.
  const ordered = [...sessions.data].sort((a, b) => Number(b.id === current) - Number(a.id === current) || Date.parse(b.createdAt) - Date.parse(a.createdAt));
  return (
    <>
      <FormError message={revoke.isError ? errorMessage(revoke.error) : null} />
      <div className="mt-2">
        <Table caption={t('account.sessions')} head={[t('account.device'), t('account.sessions.address'), t('account.signedInAt'), t('team.actions')]}>
          {ordered.map((session) => {
            const device = deviceName(session.userAgent);
            const isCurrent = session.id === current;
            return (
              <tr key={session.id}>
                <td className={CELL}>
                  <span className="font-medium text-slate-900">{device}</span>
                  {isCurrent && <span className="ml-2 inline-flex rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-900">{t('account.sessions.current')}</span>}
                  {/* Wrapped anywhere, so a long user agent never widens the table past the page's column. */}
                  {session.userAgent !== null && <span className="mt-1 block text-xs text-slate-600 wrap-anywhere">{session.userAgent}</span>}
                </td>
                <td className={`${CELL} whitespace-nowrap font-mono text-xs`}>{session.ipAddress ?? '—'}</td>
                <td className={`${CELL} whitespace-nowrap`}>
                  <time dateTime={session.createdAt}>{dateTime(session.createdAt, timeZone)}</time>
                </td>
                <td className={`${CELL} whitespace-nowrap`}>
                  <Button
                    variant="secondary"
                    className="py-1"
                    aria-label={isCurrent ? t('account.sessions.signOutHere') : t('account.sessions.signOutDevice', { device })}
                    busy={revoke.isPending && revoke.variables.id === session.id}
                    busyLabel={t('team.signingOut')}
                    onClick={() => revoke.mutate(session)}
                  >
                    {isCurrent ? t('account.sessions.signOutHere') : t('account.sessions.signOut')}
                  </Button>
                </td>
              </tr>
            );
          })}
        </Table>
      </div>
    </>
  );
}
