import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId, useState, type DragEvent } from 'react';
import type { OrderListItem, OrderStatus } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrganization, useTenantApi } from '../../session/organization.tsx';
import { Button, FOCUS_RING } from '../button.tsx';
import { Money } from '../formatted.tsx';
import { useOrderKeys } from './order-api.ts';
import { TransitionButtons } from './transition-buttons.tsx';

interface BoardCardProps {
  order: OrderListItem;
  /** The status this card's order is being moved to, while the move is sent. */
  moving: OrderStatus | undefined;
  /** Focus this card's link when it appears (it was just moved here). */
  focusOnMount: boolean;
  onMove(order: OrderListItem, to: OrderStatus): void;
  onDragStart(order: OrderListItem): void;
  onDragEnd(): void;
}

/**
 * One order on the board: number (a link to the order), customer, total and store. It moves by
 * dragging it to another column, or — by keyboard or pointer — with "Move", which lists the moves
 * the order's `allowedTransitions` allow now (fetched from the API when opened).
 */
export function BoardCard({ order, moving, focusOnMount, onMove, onDragStart, onDragEnd }: BoardCardProps) {
  const { t } = useI18n();
  const { slug } = useOrganization();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  return (
    <li
      draggable
      onDragStart={(event: DragEvent<HTMLLIElement>) => {
        event.dataTransfer.setData('text/plain', order.id);
        event.dataTransfer.effectAllowed = 'move';
        onDragStart(order);
      }}
      onDragEnd={onDragEnd}
      data-order-id={order.id}
      className={`cursor-grab rounded-md bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200 active:cursor-grabbing ${moving !== undefined ? 'opacity-60' : ''}`}
    >
      <div className="flex items-start justify-between gap-2">
        <Link
          to="/t/$slug/orders/$orderId"
          params={{ slug, orderId: order.id }}
          autoFocus={focusOnMount}
          className={`rounded-sm font-semibold text-indigo-700 underline-offset-2 hover:underline ${FOCUS_RING}`}
        >
          {t('order.title', { number: order.number })}
        </Link>
        <span className="font-semibold text-slate-900">
          <Money minor={order.totalMinor} currency={order.currency} />
        </span>
      </div>
      <p className="mt-1 text-slate-800">{order.customer.name}</p>
      <p className="text-xs text-slate-600">{order.store.name}</p>
      <div className="mt-2">
        <Button
          id={`${panelId}-toggle`}
          variant="secondary"
          className="px-2! py-1! text-xs!"
          aria-expanded={open}
          aria-controls={panelId}
          aria-label={t('board.moveOrder', { number: order.number })}
          onClick={() => setOpen((value) => !value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setOpen(false);
          }}
        >
          {t('board.move')}
        </Button>
        <div id={panelId} hidden={!open} role="group" aria-label={t('board.moves', { number: order.number })} className="mt-2">
          {open && (
            <MoveChoices
              order={order}
              moving={moving}
              onMove={(to) => onMove(order, to)}
              onClose={() => {
                setOpen(false);
                // Keyboard focus goes back to the button that opened the moves.
                document.getElementById(`${panelId}-toggle`)?.focus();
              }}
            />
          )}
        </div>
      </div>
    </li>
  );
}

/** The order's moves as the API allows them now; a card older than the order refreshes the board instead. */
function MoveChoices({ order, moving, onMove, onClose }: { order: OrderListItem; moving: OrderStatus | undefined; onMove(to: OrderStatus): void; onClose(): void }) {
  const { t, errorMessage } = useI18n();
  const api = useTenantApi();
  const keys = useOrderKeys();
  const queryClient = useQueryClient();
  const detail = useQuery({
    queryKey: keys.detail(order.id),
    queryFn: async () => {
      const found = await api.order(order.id);
      // The order moved on since the board was loaded: the board is refetched.
      if (found.version > order.version) void queryClient.invalidateQueries({ queryKey: keys.board() });
      return found;
    },
    staleTime: 0,
  });
  const stale = detail.data !== undefined && !detail.isFetching && detail.data.version > order.version;
  const onKeyDown = (event: { key: string }) => {
    if (event.key === 'Escape') onClose();
  };
  if (detail.isError) return <p className="text-xs text-red-800">{errorMessage(detail.error)}</p>;
  if (stale) return <p className="text-xs text-slate-700">{t('board.changedMeanwhile', { number: order.number })}</p>;
  if (detail.data === undefined || detail.data.version !== order.version) return <p className="text-xs text-slate-600">{t('state.loading')}</p>;
  if (detail.data.allowedTransitions.length === 0) return <p className="text-xs text-slate-700">{t('orderAction.none')}</p>;
  return (
    <div onKeyDown={onKeyDown}>
      <TransitionButtons allowed={detail.data.allowedTransitions} number={order.number} pending={moving} onMove={onMove} compact />
    </div>
  );
}
