import type { ReactNode } from 'react';
import type { Store } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Money } from '../formatted.tsx';
import { AverageRating } from './star-rating.tsx';

/** A store's four figures (specs/stores.md STO-006), as a description list: each value named by its term. */
export function StoreFigures({ store, className = '' }: { store: Store; className?: string }) {
  const { t, number } = useI18n();
  return (
    <dl className={`grid grid-cols-2 gap-x-4 gap-y-3 text-sm ${className}`}>
      <Figure label={t('catalog.figures.reviews')} value={number(store.reviewCount)} />
      <Figure label={t('catalog.figures.rating')} value={<AverageRating rating={store.averageRating} />} />
      <Figure label={t('catalog.figures.openOrders')} value={number(store.openOrders)} />
      <Figure label={t('catalog.figures.revenueThisMonth')} value={<Money minor={store.revenueThisMonthMinor} currency={store.currency} />} />
    </dl>
  );
}

function Figure({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-slate-600">{label}</dt>
      <dd className="mt-0.5 text-base font-semibold text-slate-900">{value}</dd>
    </div>
  );
}
