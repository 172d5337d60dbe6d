import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useLocation, useNavigate } from '@tanstack/react-router';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Product } from '../../api/types.ts';
import { Button } from '../../components/button.tsx';
import { Table } from '../../components/card.tsx';
import { Dialog } from '../../components/catalog/dialog.tsx';
import { StatusMessage } from '../../components/catalog/form-parts.tsx';
import { ProductForm } from '../../components/catalog/product-form.tsx';
import { ProductImageField, ProductThumbnail } from '../../components/catalog/product-image.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Money } from '../../components/formatted.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { PageState } from '../../components/page-state.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useRoleAtLeast, useTenantApi, useTenantKey } from '../../session/organization.tsx';

/** Products per page of the table. */
export const PRODUCTS_PAGE_SIZE = 25;
/** Rows hold a button: cells are centred on it. */
const CELL = 'px-4 py-3 align-middle';
/** How long typing must pause before the search is asked. */
const SEARCH_DEBOUNCE_MS = 300;

interface Filters {
  q: string;
  active: boolean | undefined;
}

/**
 * `?q=` and `?active=` of the URL: a reload or a shared link shows the same list. The router parses
 * query values as JSON where they are (`?q=123` is a number, `?active=true` a boolean), so search
 * text that would parse is written quoted, as the router itself writes it, and read back as text.
 */
function useFilters(): [Filters, (next: Filters) => void] {
  const { pathname, search } = useLocation({ select: (location) => ({ pathname: location.pathname, search: location.search as Record<string, unknown> }) });
  const navigate = useNavigate();
  const q = search.q === undefined ? '' : typeof search.q === 'string' ? search.q : JSON.stringify(search.q);
  const active = typeof search.active === 'boolean' ? search.active : undefined;
  const set = useCallback(
    (next: Filters) => {
      const params = new URLSearchParams();
      if (next.q !== '') params.set('q', looksLikeJson(next.q) ? JSON.stringify(next.q) : next.q);
      if (next.active !== undefined) params.set('active', String(next.active));
      const query = params.toString();
      void navigate({ href: query === '' ? pathname : `${pathname}?${query}`, replace: true });
    },
    [navigate, pathname],
  );
  return [{ q, active }, set];
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The organization's products: search, on-sale filter and pages by cursor; admins add and edit them. */
export function ProductsPage() {
  const { t } = useI18n();
  const isAdmin = useRoleAtLeast('admin');
  const api = useTenantApi();
  const key = useTenantKey();
  const [filters, setFilters] = useFilters();
  const [text, setText] = useState(filters.q);
  const [shownQ, setShownQ] = useState(filters.q);
  // The cursors of the pages before this one, and this page's (undefined: the first page).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [pageFilters, setPageFilters] = useState(filters);
  const [editing, setEditing] = useState<Product | null | undefined>();
  const [saved, setSaved] = useState('');

  // The URL changed from outside (back, a link): the field shows it. Other filters: back to page one.
  if (shownQ !== filters.q) {
    setShownQ(filters.q);
    setText(filters.q);
  }
  if (pageFilters.q !== filters.q || pageFilters.active !== filters.active) {
    setPageFilters(filters);
    setCursors([undefined]);
  }

  const { q, active } = filters;
  useEffect(() => {
    if (text.trim() === q) return;
    const timer = setTimeout(() => setFilters({ q: text.trim(), active }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, q, active, setFilters]);

  const cursor = cursors.at(-1);
  const products = useQuery({
    queryKey: key('products', { q: filters.q, active: filters.active, cursor }),
    queryFn: () => api.products({ limit: PRODUCTS_PAGE_SIZE, cursor, q: filters.q, active: filters.active }),
    placeholderData: keepPreviousData,
  });

  function searchNow(event: FormEvent) {
    event.preventDefault();
    setFilters({ ...filters, q: text.trim() });
  }

  const filtered = filters.q !== '' || filters.active !== undefined;
  const add = isAdmin ? <Button onClick={() => setEditing(null)}>{t('catalog.products.add')}</Button> : undefined;
  return (
    <>
      <PageHeader title={t('products.title')} actions={add} />
      <form role="search" aria-label={t('catalog.products.searchLabel')} onSubmit={searchNow} className="mb-4 grid gap-4 sm:grid-cols-[minmax(0,24rem)_12rem]">
        <TextField type="search" label={t('catalog.products.search')} hint={t('catalog.products.searchHint')} name="q" value={text} onChange={(event) => setText(event.target.value)} />
        <SelectField
          label={t('catalog.products.show')}
          name="active"
          value={filters.active === undefined ? '' : String(filters.active)}
          onChange={(event) => setFilters({ q: text.trim(), active: event.target.value === '' ? undefined : event.target.value === 'true' })}
        >
          <option value="">{t('catalog.products.showAll')}</option>
          <option value="true">{t('catalog.products.showActive')}</option>
          <option value="false">{t('catalog.products.showInactive')}</option>
        </SelectField>
      </form>
      <StatusMessage>{saved}</StatusMessage>
      {products.isPending ? (
        <PageState kind="loading" />
      ) : products.isError ? (
        <PageState kind="error" error={products.error} onRetry={() => void products.refetch()} />
      ) : products.data.items.length === 0 && cursors.length === 1 ? (
        filtered ? (
          <PageState kind="empty" message={t('catalog.products.noMatch')} />
        ) : (
          <PageState
            kind="empty"
            message={isAdmin ? t('catalog.products.emptyAdmin') : t('catalog.products.emptyMember')}
            action={isAdmin ? <Button onClick={() => setEditing(null)}>{t('catalog.products.addFirst')}</Button> : undefined}
          />
        )
      ) : (
        <div aria-busy={products.isPlaceholderData || undefined}>
          <Table
            caption={t('products.title')}
            head={[
              t('products.sku'),
              t('products.name'),
              t('products.price'),
              t('products.active'),
              ...(isAdmin ? [<span className="sr-only">{t('catalog.products.actions')}</span>] : []),
            ]}
          >
            {products.data.items.map((product) => (
              <tr key={product.id}>
                <td className={`${CELL} font-mono text-xs`}>{product.sku}</td>
                <td className={CELL}>
                  <span className="flex items-center gap-3">
                    {/* Next to the name it names: decorative for screen readers. */}
                    <ProductThumbnail product={product} decorative />
                    {product.name}
                  </span>
                </td>
                <td className={CELL}>
                  <Money minor={product.priceMinor} currency={product.currency} />
                </td>
                <td className={CELL}>
                  <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${product.active ? 'bg-emerald-100 text-emerald-900' : 'bg-slate-200 text-slate-800'}`}>
                    {product.active ? t('common.yes') : t('common.no')}
                  </span>
                </td>
                {isAdmin && (
                  <td className={`${CELL} text-right`}>
                    <Button variant="secondary" className="px-2 py-1 text-xs" onClick={() => setEditing(product)}>
                      {t('catalog.products.edit')}
                      <span className="sr-only"> {product.name}</span>
                    </Button>
                  </td>
                )}
              </tr>
            ))}
          </Table>
          <nav aria-label={t('catalog.products.pages')} className="mt-4 flex items-center justify-between gap-3">
            <p className="text-sm text-slate-600">{t('catalog.products.page', { page: cursors.length })}</p>
            <div className="flex gap-2">
              <Button variant="secondary" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
                {t('catalog.products.previous')}
              </Button>
              <Button
                variant="secondary"
                disabled={products.data.nextCursor === null || products.isPlaceholderData}
                onClick={() => products.data.nextCursor !== null && setCursors([...cursors, products.data.nextCursor])}
              >
                {t('catalog.products.next')}
              </Button>
            </div>
          </nav>
        </div>
      )}
      <Dialog open={editing !== undefined} onClose={() => setEditing(undefined)} title={editing ? t('catalog.products.editTitle', { name: editing.name }) : t('catalog.products.addTitle')}>
        <ProductForm
          product={editing ?? undefined}
          onCancel={() => setEditing(undefined)}
          onDone={(product) => {
            setSaved(t('catalog.products.saved', { name: product.name }));
            setEditing(undefined);
          }}
        />
        {editing && <ProductImageField productId={editing.id} />}
      </Dialog>
    </>
  );
}
