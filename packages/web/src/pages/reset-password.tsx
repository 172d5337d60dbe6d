import { useMutation } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error.ts';
import { keel } from '../api/keel.ts';
import { Button, ButtonLink, LINK_CLASSES } from '../components/button.tsx';
import { FormError } from '../components/card.tsx';
import { TextField } from '../components/field.tsx';
import { PageState } from '../components/page-state.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { AuthCard } from './auth-card.tsx';

/**
 * The emailed link's page (`/reset-password?token=…`): a new password, then signing in with it.
 * A link that is unknown, used or over an hour old (AUTH_RESET_TOKEN_INVALID) is said in words,
 * with the way to ask for a new one.
 */
export function ResetPasswordPage() {
  const { t, errorMessage } = useI18n();
  const { token } = useSearch({ from: '/_public/reset-password' });
  const [password, setPassword] = useState('');
  const reset = useMutation({ mutationFn: () => keel.auth.resetPassword(token ?? '', password) });

  function submit(event: FormEvent) {
    event.preventDefault();
    reset.mutate();
  }

  const code = reset.error instanceof ApiError ? reset.error.code : null;
  const footer = (
    <Link to="/sign-in" className={LINK_CLASSES}>
      {t('resetPassword.signIn')}
    </Link>
  );
  const askAgain = (
    <Link to="/forgot-password" className={LINK_CLASSES}>
      {t('resetPassword.askAgain')}
    </Link>
  );
  if (token === undefined) {
    return (
      <AuthCard title={t('resetPassword.title')} footer={footer}>
        <PageState kind="empty" message={t('resetPassword.noToken')} action={askAgain} />
      </AuthCard>
    );
  }
  if (reset.isSuccess) {
    return (
      <AuthCard title={t('resetPassword.title')}>
        <div role="status" className="space-y-4">
          <p className="text-sm text-slate-800">{t('resetPassword.done')}</p>
          <ButtonLink to="/sign-in" className="w-full">
            {t('resetPassword.signIn')}
          </ButtonLink>
        </div>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('resetPassword.title')} footer={footer}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <TextField
          label={t('field.newPassword')}
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          hint={t('field.passwordHint')}
          error={code === 'AUTH_PASSWORD_TOO_WEAK' ? errorMessage(reset.error) : undefined}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {reset.isError && code !== 'AUTH_PASSWORD_TOO_WEAK' && (
          <div className="space-y-2">
            <FormError message={errorMessage(reset.error)} />
            {code === 'AUTH_RESET_TOKEN_INVALID' && <p className="text-sm">{askAgain}</p>}
          </div>
        )}
        <Button type="submit" className="w-full" busy={reset.isPending} busyLabel={t('resetPassword.busy')}>
          {t('resetPassword.submit')}
        </Button>
      </form>
    </AuthCard>
  );
}
