import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/api-error.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { sessionQuery } from '../../session/queries.ts';
import { Button, FOCUS_RING } from '../button.tsx';
import { Card, FormError } from '../card.tsx';
import { TextField } from '../field.tsx';
import { teamApi } from './team-api.ts';

/** Refusals shown under the field they are about; any other in the form's alert. */
const FIELD_CODES = { current: 'AUTH_CURRENT_PASSWORD_WRONG', next: 'AUTH_PASSWORD_TOO_WEAK' } as const;

/**
 * Changing the password: the current one, a new one, and whether to sign out every other session
 * (this browser stays signed in, with the new session Keel answers).
 */
export function ChangePasswordForm({ sessionsKey }: { sessionsKey: readonly unknown[] }) {
  const { t, errorMessage } = useI18n();
  const queryClient = useQueryClient();
  const checkboxId = useId();
  const headingId = useId();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [revokeOtherSessions, setRevokeOtherSessions] = useState(true);
  const [done, setDone] = useState<{ othersSignedOut: boolean } | null>(null);
  const change = useMutation({
    mutationFn: () => teamApi.changePassword({ currentPassword, newPassword, revokeOtherSessions }),
    onSuccess: async () => {
      setDone({ othersSignedOut: revokeOtherSessions });
      setCurrentPassword('');
      setNewPassword('');
      await Promise.all([queryClient.invalidateQueries({ queryKey: sessionsKey }), queryClient.invalidateQueries({ queryKey: sessionQuery.queryKey })]);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    change.mutate();
  }

  const code = change.error instanceof ApiError ? change.error.code : null;
  const fieldError = (field: keyof typeof FIELD_CODES) => (code === FIELD_CODES[field] ? errorMessage(change.error) : undefined);
  const formError = change.isError && code !== FIELD_CODES.current && code !== FIELD_CODES.next ? errorMessage(change.error) : null;
  return (
    <Card className="mb-8">
      <section aria-labelledby={headingId}>
        <h2 id={headingId} className="text-lg font-semibold text-slate-900">
          {t('account.password.title')}
        </h2>
        <form onSubmit={submit} className="mt-4 max-w-md space-y-4" noValidate>
          <TextField
            label={t('account.password.current')}
            type="password"
            name="current-password"
            autoComplete="current-password"
            required
            value={currentPassword}
            error={fieldError('current')}
            onChange={(event) => setCurrentPassword(event.target.value)}
          />
          <TextField
            label={t('field.newPassword')}
            type="password"
            name="new-password"
            autoComplete="new-password"
            required
            hint={t('field.passwordHint')}
            value={newPassword}
            error={fieldError('next')}
            onChange={(event) => setNewPassword(event.target.value)}
          />
          <div className="flex items-start gap-2">
            <input
              id={checkboxId}
              type="checkbox"
              checked={revokeOtherSessions}
              onChange={(event) => setRevokeOtherSessions(event.target.checked)}
              className={`mt-0.5 size-4 rounded border-slate-400 accent-indigo-600 ${FOCUS_RING}`}
            />
            <label htmlFor={checkboxId} className="text-sm text-slate-900">
              {t('account.password.revokeOthers')}
            </label>
          </div>
          <FormError message={formError} />
          <Button type="submit" busy={change.isPending} busyLabel={t('team.saving')}>
            {t('account.password.submit')}
          </Button>
          <div role="status">
            {done !== null && (
              <p className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
                {t(done.othersSignedOut ? 'account.password.changedOthersOut' : 'account.password.changed')}
              </p>
            )}
          </div>
        </form>
      </section>
    </Card>
  );
}
