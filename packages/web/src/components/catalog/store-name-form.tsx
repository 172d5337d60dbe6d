import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Store } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTenantApi, useTenantKey } from '../../session/organization.tsx';
import { FormError } from '../card.tsx';
import { TextField } from '../field.tsx';
import { catalogApi, type StoreRecord } from './catalog-api.ts';
import { ConflictNotice, FormActions, hasCode, namesField } from './form-parts.tsx';

/**
 * Adding a store (no `store`) or renaming one (with the version it was read at: a stale one is a
 * conflict, shown with a way to reload that keeps the typed name). Over the plan's limit the
 * refusal says so and how to get more stores.
 */
export function StoreNameForm({ store, onDone, onCancel }: { store?: Store; onDone: (saved: StoreRecord) => void; onCancel: () => void }) {
  const { t, errorMessage } = useI18n();
  const api = useTenantApi();
  const key = useTenantKey();
  const queryClient = useQueryClient();
  const [name, setName] = useState(store?.name ?? '');
  const [version, setVersion] = useState(store?.version);
  const [reloaded, setReloaded] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: () => (store === undefined || version === undefined ? catalogApi(api).createStore(name) : catalogApi(api).renameStore(store.id, name, version)),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: key('stores') });
      onDone(saved);
    },
  });
  const reload = useMutation({
    mutationFn: () => api.store(store!.id),
    onSuccess: (latest) => {
      setVersion(latest.version);
      setReloaded(latest.name);
      save.reset();
      void queryClient.invalidateQueries({ queryKey: key('stores') });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setReloaded(null);
    save.mutate();
  }

  const error = save.error;
  const nameError = namesField(error, 'body.name') ? t('catalog.store.nameInvalid') : hasCode(error, 'STORE_NAME_TAKEN') ? errorMessage(error) : undefined;
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <TextField
        label={t('catalog.store.name')}
        hint={t('catalog.store.nameHint')}
        name="name"
        required
        maxLength={100}
        autoComplete="off"
        autoFocus
        value={name}
        error={nameError}
        onChange={(event) => setName(event.target.value)}
      />
      {hasCode(error, 'VERSION_CONFLICT') ? (
        <ConflictNotice onReload={() => reload.mutate()} reloading={reload.isPending} />
      ) : hasCode(error, 'PLAN_LIMIT_REACHED') ? (
        <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-3 text-sm text-amber-950">
          <p className="font-medium">{t('catalog.store.planLimit')}</p>
          <p className="mt-1">{t('catalog.store.planLimitHint')}</p>
        </div>
      ) : (
        <FormError message={error !== null && nameError === undefined ? errorMessage(error) : null} />
      )}
      {reload.isError && <FormError message={errorMessage(reload.error)} />}
      {reloaded !== null && (
        <p role="status" className="text-sm text-slate-700">
          {t('catalog.conflict.reloaded', { current: reloaded })}
        </p>
      )}
      <FormActions onCancel={onCancel} busy={save.isPending} submitLabel={store === undefined ? t('catalog.store.create') : t('catalog.store.saveName')} />
    </form>
  );
}
