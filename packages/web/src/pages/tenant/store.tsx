import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { ApiError } from '../../api/api-error.ts';
import { Button, LINK_CLASSES } from '../../components/button.tsx';
import { Card } from '../../components/card.tsx';
import { Dialog } from '../../components/catalog/dialog.tsx';
import { StatusMessage } from '../../components/catalog/form-parts.tsx';
import { ReviewForm } from '../../components/catalog/review-form.tsx';
import { ReviewList } from '../../components/catalog/review-list.tsx';
import { StoreFigures } from '../../components/catalog/store-figures.tsx';
import { StoreNameForm } from '../../components/catalog/store-name-form.tsx';
import { PageHeader, useDocumentTitle } from '../../components/page-header.tsx';
import { QueryView } from '../../components/page-state.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrganization, useRoleAtLeast, useTenantApi, useTenantKey } from '../../session/organization.tsx';

const route = getRouteApi('/_app/t/$slug/stores/$storeId');

/** One store: its figures, its reviews (newest first) and a form to record one; admins rename it and delete reviews. */
export function StorePage() {
  const { t } = useI18n();
  const { storeId } = route.useParams();
  const organization = useOrganization();
  const isAdmin = useRoleAtLeast('admin');
  const api = useTenantApi();
  const key = useTenantKey();
  const store = useQuery({ queryKey: key('stores', storeId), queryFn: () => api.store(storeId) });
  const [renaming, setRenaming] = useState(false);
  const [saved, setSaved] = useState('');

  // An unknown id, one of another organization, or not an id at all: the page does not exist here.
  if (store.error instanceof ApiError && (store.error.code === 'STORE_NOT_FOUND' || (store.error.code === 'VALIDATION_FAILED' && store.error.details.some((detail) => detail.path === 'params.storeId')))) {
    return <StoreNotFound slug={organization.slug} />;
  }
  return (
    <>
      <nav aria-label={t('catalog.store.breadcrumb')} className="mb-2 text-sm">
        <Link to="/t/$slug/stores" params={{ slug: organization.slug }} className={LINK_CLASSES}>
          {t('catalog.store.allStores')}
        </Link>
      </nav>
      <QueryView query={store}>
        {(found) => (
          <>
            <PageHeader
              title={found.name}
              actions={
                isAdmin ? (
                  <Button variant="secondary" onClick={() => setRenaming(true)}>
                    {t('catalog.stores.rename')}
                  </Button>
                ) : undefined
              }
            />
            <StatusMessage>{saved}</StatusMessage>
            <Card className="mb-8">
              <h2 className="sr-only">{t('catalog.store.figures')}</h2>
              <StoreFigures store={found} className="sm:grid-cols-4" />
            </Card>
            <div className="grid gap-8 lg:grid-cols-3">
              <div className="lg:col-span-2">
                <ReviewList storeId={found.id} />
              </div>
              <Card className="self-start">
                <ReviewForm storeId={found.id} />
              </Card>
            </div>
            <Dialog open={renaming} onClose={() => setRenaming(false)} title={t('catalog.stores.renameTitle', { name: found.name })}>
              <StoreNameForm
                store={found}
                onCancel={() => setRenaming(false)}
                onDone={(renamed) => {
                  setSaved(t('catalog.stores.renamed', { name: renamed.name }));
                  setRenaming(false);
                }}
              />
            </Dialog>
          </>
        )}
      </QueryView>
    </>
  );
}

/** The not-found page's words, inside the organization's layout. */
function StoreNotFound({ slug }: { slug: string }) {
  const { t } = useI18n();
  useDocumentTitle(t('notFound.title'));
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <p className="text-sm font-semibold text-indigo-700">404</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">{t('notFound.title')}</h1>
      <p className="mt-2 text-sm text-slate-600">{t('notFound.description')}</p>
      <Link to="/t/$slug/stores" params={{ slug }} className={`mt-6 inline-block ${LINK_CLASSES}`}>
        {t('catalog.store.allStores')}
      </Link>
    </div>
  );
}
