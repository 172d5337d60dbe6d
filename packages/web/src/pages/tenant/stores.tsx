import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import type { Store } from '../../api/types.ts';
import { Button, FOCUS_RING } from '../../components/button.tsx';
import { Dialog } from '../../components/catalog/dialog.tsx';
import { StatusMessage } from '../../components/catalog/form-parts.tsx';
import { StoreFigures } from '../../components/catalog/store-figures.tsx';
import { StoreNameForm } from '../../components/catalog/store-name-form.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryView } from '../../components/page-state.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrganization, useRoleAtLeast, useTenantApi, useTenantKey } from '../../session/organization.tsx';

/** The organization's stores, each a card with its figures; admins add and rename stores. */
export function StoresPage() {
  const { t } = useI18n();
  const organization = useOrganization();
  const isAdmin = useRoleAtLeast('admin');
  const api = useTenantApi();
  const key = useTenantKey();
  const stores = useQuery({ queryKey: key('stores'), queryFn: () => api.stores({ limit: 200 }) });
  // The dialog: adding (null store) or renaming a store; undefined when closed.
  const [editing, setEditing] = useState<Store | null | undefined>();
  const [saved, setSaved] = useState('');

  const add = isAdmin ? <Button onClick={() => setEditing(null)}>{t('catalog.stores.add')}</Button> : undefined;
  return (
    <>
      <PageHeader title={t('stores.title')} description={organization.name} actions={add} />
      <StatusMessage>{saved}</StatusMessage>
      <QueryView
        query={stores}
        isEmpty={(page) => page.items.length === 0}
        empty={isAdmin ? t('catalog.stores.emptyAdmin') : t('catalog.stores.emptyMember')}
        emptyAction={isAdmin ? <Button onClick={() => setEditing(null)}>{t('catalog.stores.addFirst')}</Button> : undefined}
      >
        {(page) => (
          <ul className="mt-2 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {page.items.map((store) => (
              <li key={store.id}>
                <StoreCard store={store} slug={organization.slug} onRename={isAdmin ? () => setEditing(store) : undefined} />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <Dialog open={editing !== undefined} onClose={() => setEditing(undefined)} title={editing ? t('catalog.stores.renameTitle', { name: editing.name }) : t('catalog.stores.addTitle')}>
        <StoreNameForm
          store={editing ?? undefined}
          onCancel={() => setEditing(undefined)}
          onDone={(store) => {
            setSaved(editing ? t('catalog.stores.renamed', { name: store.name }) : t('catalog.stores.added', { name: store.name }));
            setEditing(undefined);
          }}
        />
      </Dialog>
    </>
  );
}

/** The whole card opens the store (its name is the link, stretched over the card); renaming sits above it. */
function StoreCard({ store, slug, onRename }: { store: Store; slug: string; onRename: (() => void) | undefined }) {
  const { t } = useI18n();
  return (
    <article aria-labelledby={`store-${store.id}`} className="relative flex h-full flex-col rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 hover:ring-indigo-300">
      <h2 id={`store-${store.id}`} className="text-base font-semibold text-slate-900">
        <Link
          to="/t/$slug/stores/$storeId"
          params={{ slug, storeId: store.id }}
          className={`rounded-sm after:absolute after:inset-0 after:rounded-lg hover:text-indigo-700 ${FOCUS_RING}`}
        >
          {store.name}
        </Link>
      </h2>
      <StoreFigures store={store} className="mt-4" />
      {onRename !== undefined && (
        <div className="relative z-10 mt-4 flex justify-end border-t border-slate-100 pt-3">
          <Button variant="secondary" className="px-2 py-1 text-xs" onClick={onRename}>
            {t('catalog.stores.rename')}
            <span className="sr-only"> {store.name}</span>
          </Button>
        </div>
      )}
    </article>
  );
}
