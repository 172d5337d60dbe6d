import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Card } from '../components/card.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { ChangePasswordForm } from '../components/team/change-password-form.tsx';
import { SessionsList } from '../components/team/sessions-list.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { PlainMain } from '../layout/layouts.tsx';
import { sessionQuery } from '../session/queries.ts';

const SESSIONS_KEY = ['account', 'sessions'] as const;

/** The signed-in account: who it is, its password, and where it is signed in. */
export function AccountPage() {
  const { t } = useI18n();
  const session = useQuery(sessionQuery);
  const sessionsHeading = useId();
  return (
    <PlainMain>
      <PageHeader title={t('account.title')} />
      <Card className="mb-8">
        <dl className="grid gap-4 text-sm sm:grid-cols-2">
          <div>
            <dt className="font-medium text-slate-900">{t('field.name')}</dt>
            <dd className="text-slate-700">{session.data?.user.name}</dd>
          </div>
          <div>
            <dt className="font-medium text-slate-900">{t('field.email')}</dt>
            <dd className="text-slate-700">{session.data?.user.email}</dd>
          </div>
        </dl>
      </Card>
      <ChangePasswordForm sessionsKey={SESSIONS_KEY} />
      <section aria-labelledby={sessionsHeading}>
        <h2 id={sessionsHeading} className="mb-1 text-lg font-semibold text-slate-900">
          {t('account.sessions')}
        </h2>
        <p className="mb-3 text-sm text-slate-600">{t('account.sessions.description')}</p>
        <SessionsList sessionsKey={SESSIONS_KEY} />
      </section>
    </PlainMain>
  );
}
