import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useRouter, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { keel } from '../api/keel.ts';
import { Button, LINK_CLASSES } from '../components/button.tsx';
import { FormError } from '../components/card.tsx';
import { TextField } from '../components/field.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { AuthCard } from './auth-card.tsx';

/** A new account, signed in at once; then its first organization (or back to the invitation it came from). */
export function SignUpPage() {
  const { t, errorMessage } = useI18n();
  const { redirect } = useSearch({ from: '/_public/sign-up' });
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signUp = useMutation({
    mutationFn: () => keel.auth.signUp({ name, email, password }),
    onSuccess: () => {
      queryClient.clear();
      router.history.push(redirect ?? '/organizations/new');
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    signUp.mutate();
  }

  return (
    <AuthCard
      title={t('signUp.title')}
      footer={
        <p>
          {t('signUp.haveAccount')}{' '}
          <Link to="/sign-in" search={{ redirect }} className={LINK_CLASSES}>
            {t('signUp.signIn')}
          </Link>
        </p>
      }
    >
      <form onSubmit={submit} className="space-y-4" noValidate>
        <TextField label={t('field.name')} name="name" autoComplete="name" required value={name} onChange={(event) => setName(event.target.value)} />
        <TextField label={t('field.email')} type="email" name="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
        <TextField
          label={t('field.password')}
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          minLength={12}
          maxLength={128}
          hint={t('field.passwordHint')}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <FormError message={signUp.isError ? errorMessage(signUp.error) : null} />
        <Button type="submit" className="w-full" busy={signUp.isPending} busyLabel={t('signUp.busy')}>
          {t('signUp.submit')}
        </Button>
      </form>
    </AuthCard>
  );
}
