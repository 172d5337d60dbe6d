import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Button, ButtonLink, LINK_CLASSES } from '../../components/button.tsx';
import { CELL, Table } from '../../components/card.tsx';
import { DateTime, Money } from '../../components/formatted.tsx';
import { useOrderKeys } from '../../components/orders/order-api.ts';
import { OrderFiltersForm, rangeReversed, useOrderFilters, type OrderFilters } from '../../components/orders/order-filters.tsx';
import { startOfDay, startOfNextDay } from '../../components/orders/zoned-date.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { PageState } from '../../components/page-state.tsx';
import { StatusBadge } from '../../components/status-badge.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrganization, useTenantApi } from '../../session/organization.tsx';

/** Orders per page ("load more" asks for the next). */
export const ORDERS_PAGE_SIZE = 50;

/** The API's query for the filters: days become instants in the organization's time zone, `to` exclusive. */
function listQuery(filters: OrderFilters, timeZone: string) {
  return {
    status: filters.status,
    storeId: filters.storeId,
    from: filters.from === undefined ? undefined : startOfDay(filters.from, timeZone),
    to: filters.to === undefined ? undefined : startOfNextDay(filters.to, timeZone),
    q: filters.q === '' ? undefined : filters.q,
  };
}

/** The organization's orders, newest first: filters and search kept in the URL, a page at a time. */
export function OrdersTablePage() {
  const { t, number } = useI18n();
  const { slug, timezone } = useOrganization();
  const api = useTenantApi();
  const keys = useOrderKeys();
  const [filters, setFilters] = useOrderFilters();
  const reversed = rangeReversed(filters);
  const query = listQuery(filters, timezone);
  const orders = useInfiniteQuery({
    queryKey: keys.list(query),
    queryFn: ({ pageParam }) => api.orders({ ...query, limit: ORDERS_PAGE_SIZE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: !reversed,
  });
  const items = orders.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = filters.status !== undefined || filters.storeId !== undefined || filters.from !== undefined || filters.to !== undefined || filters.q !== '';

  return (
    <>
      <PageHeader
        title={t('orders.title')}
        actions={
          <ButtonLink to="/t/$slug/orders/new" params={{ slug }}>
            {t('orders.new')}
          </ButtonLink>
        }
      />
      <OrderFiltersForm filters={filters} onChange={setFilters} />
      {reversed ? null : orders.isPending ? (
        <PageState kind="loading" />
      ) : orders.isError ? (
        <PageState kind="error" error={orders.error} onRetry={() => void orders.refetch()} />
      ) : items.length === 0 ? (
        <PageState
          kind="empty"
          message={filtered ? t('ordersTable.noMatch') : t('orders.empty')}
          action={
            filtered ? undefined : (
              <ButtonLink to="/t/$slug/orders/new" params={{ slug }}>
                {t('orders.new')}
              </ButtonLink>
            )
          }
        />
      ) : (
        <div aria-busy={orders.isFetching && !orders.isFetchingNextPage}>
          <Table
            caption={t('orders.title')}
            head={[
              t('orders.number'),
              t('orders.createdAt'),
              t('orders.customer'),
              t('orders.store'),
              t('orders.status'),
              <span key="lines" className="block text-right">
                {t('ordersTable.lines')}
              </span>,
              <span key="total" className="block text-right">
                {t('orders.total')}
              </span>,
            ]}
          >
            {items.map((order) => (
              <tr key={order.id}>
                <td className={CELL}>
                  <Link to="/t/$slug/orders/$orderId" params={{ slug, orderId: order.id }} className={LINK_CLASSES}>
                    #{order.number}
                  </Link>
                </td>
                <td className={`${CELL} whitespace-nowrap`}>
                  <DateTime iso={order.createdAt} />
                </td>
                <td className={CELL}>
                  <span className="block text-slate-900">{order.customer.name}</span>
                  <span className="block text-xs text-slate-600">{order.customer.email}</span>
                </td>
                <td className={CELL}>{order.store.name}</td>
                <td className={CELL}>
                  <StatusBadge status={order.status} />
                </td>
                <td className={`${CELL} text-right tabular-nums`}>{number(order.lineCount)}</td>
                <td className={`${CELL} whitespace-nowrap text-right`}>
                  <Money minor={order.totalMinor} currency={order.currency} />
                </td>
              </tr>
            ))}
          </Table>
          <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
            <p role="status" className="text-sm text-slate-700">
              {orders.hasNextPage ? t('ordersTable.shownMore', { count: number(items.length) }) : t('ordersTable.shownAll', { count: number(items.length) })}
            </p>
            {orders.hasNextPage && (
              <Button variant="secondary" busy={orders.isFetchingNextPage} busyLabel={t('state.loading')} onClick={() => void orders.fetchNextPage()}>
                {t('ordersTable.loadMore')}
              </Button>
            )}
          </div>
        </div>
      )}
    </>
  );
}
