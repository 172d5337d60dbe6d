import { useQuery } from '@tanstack/react-query';
import { useLocation, useNavigate } from '@tanstack/react-router';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { ORDER_STATUSES, type OrderStatus } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTenantApi, useTenantKey } from '../../session/organization.tsx';
import { Button } from '../button.tsx';
import { SelectField, TextField } from '../field.tsx';
import { isDay } from './zoned-date.ts';

/** The orders table's filters, as the URL's search params keep them (`?status=&store=&from=&to=&q=`). */
export interface OrderFilters {
  status: OrderStatus | undefined;
  storeId: string | undefined;
  /** Calendar days in the organization's time zone, both included. */
  from: string | undefined;
  to: string | undefined;
  q: string;
}

const NO_FILTERS: OrderFilters = { status: undefined, storeId: undefined, from: undefined, to: undefined, q: '' };

/** How long typing must pause before the search is asked. */
const SEARCH_DEBOUNCE_MS = 300;

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** The filters of the URL (a reload or a shared link shows the same orders), and a setter that writes them there. */
export function useOrderFilters(): [OrderFilters, (next: OrderFilters) => void] {
  const search = useLocation({ select: (location) => location.search as Record<string, unknown> });
  const navigate = useNavigate();
  const status = ORDER_STATUSES.find((candidate) => candidate === search.status);
  const storeId = text(search.store);
  const from = text(search.from);
  const to = text(search.to);
  const q = text(search.q)?.trim() ?? '';
  // The same object while the URL's filters stay the same (effects depend on it).
  const filters = useMemo<OrderFilters>(
    () => ({ status, storeId, from: from !== undefined && isDay(from) ? from : undefined, to: to !== undefined && isDay(to) ? to : undefined, q }),
    [status, storeId, from, to, q],
  );
  const set = useCallback(
    (next: OrderFilters) => {
      // No route declares these params (router.tsx validates none for this page): they are read above.
      const search: Record<string, string | undefined> = { status: next.status, store: next.storeId, from: next.from, to: next.to, q: next.q === '' ? undefined : next.q };
      void navigate({ to: '.', search, replace: true });
    },
    [navigate],
  );
  return [filters, set];
}

/** Whether the range's end comes before its start (the API would refuse it). */
export function rangeReversed(filters: OrderFilters): boolean {
  return filters.from !== undefined && filters.to !== undefined && filters.to < filters.from;
}

/** Status, store, date range and search; each change applies at once (the search after a pause in typing). */
export function OrderFiltersForm({ filters, onChange }: { filters: OrderFilters; onChange(next: OrderFilters): void }) {
  const { t } = useI18n();
  const api = useTenantApi();
  const key = useTenantKey();
  const stores = useQuery({ queryKey: key('stores', 'for-orders'), queryFn: () => api.stores({ limit: 200 }) });
  const [typed, setTyped] = useState(filters.q);
  const [shownQ, setShownQ] = useState(filters.q);
  // The URL changed from outside (back, a link, "clear"): the search box shows it.
  if (shownQ !== filters.q) {
    setShownQ(filters.q);
    setTyped(filters.q);
  }

  useEffect(() => {
    if (typed.trim() === filters.q) return;
    const timer = setTimeout(() => onChange({ ...filters, q: typed.trim() }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [typed, filters, onChange]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({ ...filters, q: typed.trim() });
  };
  const filtered = filters.status !== undefined || filters.storeId !== undefined || filters.from !== undefined || filters.to !== undefined || filters.q !== '';

  return (
    <form role="search" aria-label={t('ordersTable.filters')} onSubmit={submit} className="mb-6 grid gap-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:grid-cols-2 lg:grid-cols-6">
      <div className="lg:col-span-2">
        <TextField
          label={t('ordersTable.search')}
          hint={t('ordersTable.searchHint')}
          type="search"
          value={typed}
          maxLength={200}
          onChange={(event) => setTyped(event.target.value)}
        />
      </div>
      <SelectField label={t('orders.status')} value={filters.status ?? ''} onChange={(event) => onChange({ ...filters, status: ORDER_STATUSES.find((status) => status === event.target.value) })}>
        <option value="">{t('ordersTable.anyStatus')}</option>
        {ORDER_STATUSES.map((status) => (
          <option key={status} value={status}>
            {t(`status.${status}`)}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('orders.store')} value={filters.storeId ?? ''} onChange={(event) => onChange({ ...filters, storeId: event.target.value === '' ? undefined : event.target.value })}>
        <option value="">{t('ordersTable.anyStore')}</option>
        {stores.data?.items.map((store) => (
          <option key={store.id} value={store.id}>
            {store.name}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t('ordersTable.from')}
        type="date"
        value={filters.from ?? ''}
        onChange={(event) => onChange({ ...filters, from: isDay(event.target.value) ? event.target.value : undefined })}
      />
      <TextField
        label={t('ordersTable.to')}
        type="date"
        value={filters.to ?? ''}
        min={filters.from}
        error={rangeReversed(filters) ? t('ordersTable.rangeReversed') : undefined}
        onChange={(event) => onChange({ ...filters, to: isDay(event.target.value) ? event.target.value : undefined })}
      />
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-6">
        <Button type="submit" variant="secondary">
          {t('ordersTable.applySearch')}
        </Button>
        {filtered && (
          <Button variant="secondary" onClick={() => onChange(NO_FILTERS)}>
            {t('ordersTable.clear')}
          </Button>
        )}
      </div>
    </form>
  );
}
