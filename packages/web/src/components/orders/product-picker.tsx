import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Product } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTenantApi, useTenantKey } from '../../session/organization.tsx';
import { Button } from '../button.tsx';
import { TextField } from '../field.tsx';
import { Money } from '../formatted.tsx';
import { PageState } from '../page-state.tsx';

/** Products shown per search. */
const RESULTS = 20;
const SEARCH_DEBOUNCE_MS = 250;

/** Finds products on sale (by name or SKU) to add to the order. */
export function ProductPicker({ onPick }: { onPick(product: Product): void }) {
  const { t } = useI18n();
  const api = useTenantApi();
  const key = useTenantKey();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  const products = useQuery({
    queryKey: key('products', 'for-new-order', q),
    queryFn: () => api.products({ active: true, q: q === '' ? undefined : q, limit: RESULTS }),
    placeholderData: keepPreviousData,
  });
  return (
    <div>
      <TextField label={t('newOrder.findProduct')} hint={t('newOrder.findProductHint')} type="search" value={typed} maxLength={200} onChange={(event) => setTyped(event.target.value)} />
      <div className="mt-3" aria-busy={products.isFetching}>
        {products.isPending ? (
          <PageState kind="loading" />
        ) : products.isError ? (
          <PageState kind="error" error={products.error} onRetry={() => void products.refetch()} />
        ) : products.data.items.length === 0 ? (
          <p className="py-4 text-sm text-slate-700">{t('newOrder.noProductMatch')}</p>
        ) : (
          <ul className="max-h-80 divide-y divide-slate-100 overflow-y-auto rounded-md ring-1 ring-slate-200" aria-label={t('newOrder.products')}>
            {products.data.items.map((product) => (
              <li key={product.id} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
                <span>
                  <span className="block text-slate-900">{product.name}</span>
                  <span className="block font-mono text-xs text-slate-600">{product.sku}</span>
                </span>
                <span className="flex items-center gap-3">
                  <Money minor={product.priceMinor} currency={product.currency} />
                  <Button variant="secondary" className="px-2! py-1! text-xs!" aria-label={t('newOrder.addProduct', { name: product.name })} onClick={() => onPick(product)}>
                    {t('newOrder.add')}
                  </Button>
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
