import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { keel } from '../../api/keel.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Button, LINK_CLASSES } from '../button.tsx';
import { FormError } from '../card.tsx';
import { TextField } from '../field.tsx';

/**
 * Signing up or in on the invitation page itself, the invited email filled in, so that accepting
 * is the next step on the same page. A new account is the default: most invited people have none.
 */
export function InvitationAuth({ email: invitedEmail, onSignedIn }: { email: string; onSignedIn(): Promise<void> }) {
  const { t, errorMessage } = useI18n();
  const [mode, setMode] = useState<'sign-up' | 'sign-in'>('sign-up');
  const [name, setName] = useState('');
  const [email, setEmail] = useState(invitedEmail);
  const [password, setPassword] = useState('');
  const submit = useMutation({
    mutationFn: () => (mode === 'sign-up' ? keel.auth.signUp({ name, email, password }) : keel.auth.signIn(email, password)),
    onSuccess: onSignedIn,
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    submit.mutate();
  }

  function switchTo(next: 'sign-up' | 'sign-in') {
    submit.reset();
    setPassword('');
    setMode(next);
  }

  const signingUp = mode === 'sign-up';
  return (
    <div className="space-y-4 border-t border-slate-200 pt-4">
      <h2 className="text-base font-semibold text-slate-900">{signingUp ? t('invitation.signUpTitle') : t('invitation.signInTitle')}</h2>
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        {signingUp && <TextField label={t('field.name')} name="name" autoComplete="name" required value={name} onChange={(event) => setName(event.target.value)} />}
        <TextField label={t('field.email')} type="email" name="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
        <TextField
          label={t('field.password')}
          type="password"
          name={signingUp ? 'new-password' : 'password'}
          autoComplete={signingUp ? 'new-password' : 'current-password'}
          required
          hint={signingUp ? t('field.passwordHint') : undefined}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <FormError message={submit.isError ? errorMessage(submit.error) : null} />
        <Button type="submit" className="w-full" busy={submit.isPending} busyLabel={signingUp ? t('signUp.busy') : t('signIn.busy')}>
          {signingUp ? t('invitation.signUpSubmit') : t('invitation.signInSubmit')}
        </Button>
      </form>
      <p className="text-center text-sm text-slate-700">
        {signingUp ? t('signUp.haveAccount') : t('signIn.noAccount')}{' '}
        <button type="button" className={LINK_CLASSES} onClick={() => switchTo(signingUp ? 'sign-in' : 'sign-up')}>
          {signingUp ? t('signUp.signIn') : t('signIn.signUp')}
        </button>
      </p>
      {!signingUp && (
        <p className="text-center text-sm">
          <Link to="/forgot-password" className={LINK_CLASSES}>
            {t('signIn.forgotPassword')}
          </Link>
        </p>
      )}
    </div>
  );
}
