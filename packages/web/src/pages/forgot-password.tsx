import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { keel } from '../api/keel.ts';
import { Button, LINK_CLASSES } from '../components/button.tsx';
import { FormError } from '../components/card.tsx';
import { TextField } from '../components/field.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { AuthCard } from './auth-card.tsx';

/** Asks for a reset link by email; the answer is the same whether or not the account exists. */
export function ForgotPasswordPage() {
  const { t, errorMessage } = useI18n();
  const [email, setEmail] = useState('');
  const request = useMutation({ mutationFn: () => keel.auth.requestPasswordReset(email) });

  function submit(event: FormEvent) {
    event.preventDefault();
    request.mutate();
  }

  return (
    <AuthCard
      title={t('forgotPassword.title')}
      description={t('forgotPassword.description')}
      footer={
        <Link to="/sign-in" className={LINK_CLASSES}>
          {t('forgotPassword.back')}
        </Link>
      }
    >
      {request.isSuccess ? (
        <p role="status" className="text-sm text-slate-800">
          {t('forgotPassword.sent', { email })}
        </p>
      ) : (
        <form onSubmit={submit} className="space-y-4" noValidate>
          <TextField label={t('field.email')} type="email" name="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
          <FormError message={request.isError ? errorMessage(request.error) : null} />
          <Button type="submit" className="w-full" busy={request.isPending} busyLabel={t('forgotPassword.busy')}>
            {t('forgotPassword.submit')}
          </Button>
        </form>
      )}
    </AuthCard>
  );
}
