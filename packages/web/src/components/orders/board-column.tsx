import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState, type DragEvent } from 'react';
import type { OrderListItem, OrderStatus } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTenantApi } from '../../session/organization.tsx';
import { Button } from '../button.tsx';
import { PageState } from '../page-state.tsx';
import { BoardCard } from './board-card.tsx';
import { useOrderKeys } from './order-api.ts';

/** Orders per column and per "more". */
export const BOARD_PAGE_SIZE = 50;

interface BoardColumnProps {
  status: OrderStatus;
  /**
   * While a card is dragged: whether its order may move here (undefined: not known yet). Every
   * other column takes the drop; one the order may not move to says why instead of moving it.
   */
  accepts: boolean | undefined;
  dragging: boolean;
  movingOrderId: string | undefined;
  movingTo: OrderStatus | undefined;
  focusOrderId: string | undefined;
  onMove(order: OrderListItem, to: OrderStatus): void;
  onDragStart(order: OrderListItem): void;
  onDragEnd(): void;
  onDrop(to: OrderStatus): void;
}

/** The orders in one status, newest first, a page at a time (the list API filtered by status). */
export function BoardColumn({ status, accepts, dragging, movingOrderId, movingTo, focusOrderId, onMove, onDragStart, onDragEnd, onDrop }: BoardColumnProps) {
  const { t, number } = useI18n();
  const api = useTenantApi();
  const keys = useOrderKeys();
  const headingId = useId();
  const [over, setOver] = useState(false);
  const orders = useInfiniteQuery({
    queryKey: keys.board(status),
    queryFn: ({ pageParam }) => api.orders({ status, limit: BOARD_PAGE_SIZE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = orders.data?.pages.flatMap((page) => page.items) ?? [];
  const droppable = dragging;

  const allowDrop = (event: DragEvent) => {
    if (!droppable) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    setOver(true);
  };

  return (
    <section
      aria-labelledby={headingId}
      data-status={status}
      onDragEnter={allowDrop}
      onDragOver={allowDrop}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        onDrop(status);
      }}
      className={`flex min-h-0 w-72 shrink-0 flex-col rounded-lg p-3 transition-colors ${
        over && accepts !== false ? 'bg-indigo-100 ring-2 ring-indigo-500' : dragging && accepts === true ? 'bg-indigo-50 ring-2 ring-indigo-300' : 'bg-slate-100'
      } ${dragging && accepts === false ? 'opacity-60' : ''}`}
    >
      <h2 id={headingId} className="mb-3 flex items-center justify-between text-sm font-semibold text-slate-900">
        {t(`status.${status}`)}
        <span className="rounded-full bg-white px-2 py-0.5 text-xs font-medium text-slate-700">
          {orders.data === undefined ? '…' : orders.hasNextPage ? t('board.countMore', { count: number(items.length) }) : number(items.length)}
        </span>
      </h2>
      {orders.isPending ? (
        <PageState kind="loading" />
      ) : orders.isError ? (
        <PageState kind="error" error={orders.error} onRetry={() => void orders.refetch()} />
      ) : items.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-3 py-6 text-center text-xs text-slate-700">{t('board.columnEmpty')}</p>
      ) : (
        <ol className="-mx-1 min-h-0 flex-1 space-y-2 overflow-y-auto px-1 py-1" aria-labelledby={headingId}>
          {items.map((order) => (
            <BoardCard
              key={order.id}
              order={order}
              moving={movingOrderId === order.id ? movingTo : undefined}
              focusOnMount={focusOrderId === order.id}
              onMove={onMove}
              onDragStart={onDragStart}
              onDragEnd={onDragEnd}
            />
          ))}
        </ol>
      )}
      {orders.hasNextPage && (
        <Button variant="secondary" className="mt-3 shrink-0" busy={orders.isFetchingNextPage} busyLabel={t('state.loading')} onClick={() => void orders.fetchNextPage()}>
          {t('board.more')}
        </Button>
      )}
    </section>
  );
}
