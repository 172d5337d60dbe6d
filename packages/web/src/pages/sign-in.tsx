import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useRouter, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { keel } from '../api/keel.ts';
import { Button, LINK_CLASSES } from '../components/button.tsx';
import { FormError } from '../components/card.tsx';
import { TextField } from '../components/field.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { AuthCard } from './auth-card.tsx';

export function SignInPage() {
  const { t, errorMessage } = useI18n();
  const { redirect } = useSearch({ from: '/_public/sign-in' });
  const router = useRouter();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => keel.auth.signIn(email, password),
    onSuccess: async () => {
      // Whatever was cached belonged to no one (or someone else): start afresh.
      queryClient.clear();
      router.history.push(redirect ?? '/');
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    signIn.mutate();
  }

  return (
    <AuthCard
      title={t('signIn.title')}
      footer={
        <>
          <p>
            <Link to="/forgot-password" className={LINK_CLASSES}>
              {t('signIn.forgotPassword')}
            </Link>
          </p>
          <p>
            {t('signIn.noAccount')}{' '}
            <Link to="/sign-up" search={{ redirect }} className={LINK_CLASSES}>
              {t('signIn.signUp')}
            </Link>
          </p>
        </>
      }
    >
      <form onSubmit={submit} className="space-y-4" noValidate>
        <TextField label={t('field.email')} type="email" name="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
        <TextField label={t('field.password')} type="password" name="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        <FormError message={signIn.isError ? errorMessage(signIn.error) : null} />
        <Button type="submit" className="w-full" busy={signIn.isPending} busyLabel={t('signIn.busy')}>
          {t('signIn.submit')}
        </Button>
      </form>
    </AuthCard>
  );
}
