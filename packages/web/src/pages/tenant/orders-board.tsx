import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { OrderDetail, OrderListItem, OrderStatus } from '../../api/types.ts';
import { ButtonLink } from '../../components/button.tsx';
import { FormError } from '../../components/card.tsx';
import { BoardColumn } from '../../components/orders/board-column.tsx';
import { useActors, useMoveOrder, useOrderKeys } from '../../components/orders/order-api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { actorLabel } from '../../live/actor-label.ts';
import { LiveBanner } from '../../live/live-banner.tsx';
import { PresenceAvatars } from '../../live/presence-avatars.tsx';
import { useLiveView } from '../../live/use-live.ts';
import { useOrganization, useTenantApi } from '../../session/organization.tsx';

/** Every status, one column each: the forward path, the return flow, then cancelled. */
const COLUMNS: readonly OrderStatus[] = ['PENDING', 'CONFIRMED', 'PACKED', 'SHIPPED', 'DELIVERED', 'RETURN_REQUESTED', 'RETURNED', 'CANCELLED'];

type Notice =
  | { kind: 'moved'; number: number; to: OrderStatus }
  | { kind: 'movedBy'; number: number; to: OrderStatus; by: string }
  | { kind: 'notAllowed'; number: number; from: OrderStatus; to: OrderStatus } | { kind: 'changed'; number: number } | { kind: 'refused'; error: unknown };

interface Dragged {
  order: OrderListItem;
  /** From the order's detail, fetched when the drag starts; null until it arrives. */
  allowed: readonly OrderStatus[] | null;
}

/**
 * The orders board: a column per status. An order moves by dragging its card to another column
 * or with its "Move" button; only the moves of its `allowedTransitions` are offered, each sent
 * with the version the board shows. A refusal is said in words, and the board is refetched.
 */
export function OrdersBoardPage() {
  const { t, errorMessage } = useI18n();
  const { slug } = useOrganization();
  const api = useTenantApi();
  const keys = useOrderKeys();
  const queryClient = useQueryClient();
  const move = useMoveOrder();
  const [dragged, setDragged] = useState<Dragged | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [focusOrderId, setFocusOrderId] = useState<string | undefined>(undefined);
  const draggedDetail = useRef<{ orderId: string; detail: Promise<OrderDetail> } | null>(null);
  // Live: who else is on the board; the columns follow others' changes (use-live keeps the cache).
  const live = useLiveView('board', 'viewing');
  const actorOf = useActors();
  const { onOrder, me } = live;
  useEffect(
    () =>
      onOrder((update) => {
        if (update.type !== 'order.status_changed' || update.status === undefined || update.by === undefined || update.by === me) return;
        setNotice({ kind: 'movedBy', number: update.number, to: update.status as OrderStatus, by: update.by });
      }),
    [onOrder, me],
  );

  function moveOrder(order: OrderListItem, to: OrderStatus) {
    setNotice(null);
    move.mutate(
      { orderId: order.id, to, version: order.version },
      {
        onSuccess: () => {
          setNotice({ kind: 'moved', number: order.number, to });
          setFocusOrderId(order.id);
        },
        onError: (error) => setNotice({ kind: 'refused', error }),
      },
    );
  }

  function startDrag(order: OrderListItem) {
    setDragged({ order, allowed: null });
    const detail = queryClient.fetchQuery({ queryKey: keys.detail(order.id), queryFn: () => api.order(order.id), staleTime: 0 });
    draggedDetail.current = { orderId: order.id, detail };
    const settle = (allowed: readonly OrderStatus[]) => setDragged((current) => (current?.order.id === order.id ? { order, allowed } : current));
    detail.then(
      (found) => settle(found.version === order.version ? found.allowedTransitions : []),
      () => settle([]),
    );
  }

  async function drop(to: OrderStatus) {
    const current = dragged;
    const pending = draggedDetail.current;
    setDragged(null);
    if (current === null || pending === null || pending.orderId !== current.order.id || current.order.status === to) return;
    let detail: OrderDetail;
    try {
      detail = await pending.detail;
    } catch (error) {
      setNotice({ kind: 'refused', error });
      return;
    }
    if (detail.version !== current.order.version) {
      setNotice({ kind: 'changed', number: current.order.number });
      void queryClient.invalidateQueries({ queryKey: keys.board() });
    } else if (!detail.allowedTransitions.includes(to)) {
      setNotice({ kind: 'notAllowed', number: current.order.number, from: current.order.status, to });
    } else {
      moveOrder(current.order, to);
    }
  }

  const accepts = (status: OrderStatus): boolean | undefined => (dragged === null || dragged.allowed === null ? undefined : dragged.allowed.includes(status));

  // The page fills the window below the header, the navigation and the main's padding (11rem) and
  // does not scroll: the columns take the height that is left, and each scrolls its own cards.
  return (
    <div className="flex h-[calc(100dvh-11rem)] min-h-[28rem] flex-col">
      <PageHeader
        title={t('board.title')}
        description={t('board.description')}
        actions={
          <>
            <PresenceAvatars others={live.others} />
            <ButtonLink to="/t/$slug/orders/new" params={{ slug }}>
              {t('orders.new')}
            </ButtonLink>
          </>
        }
      />
      <LiveBanner status={live.status} />
      <div className="-mt-3 mb-3 min-h-5 shrink-0">
        {notice?.kind === 'refused' ? (
          <FormError message={`${errorMessage(notice.error)} ${t('board.refreshed')}`} />
        ) : (
          <p role="status" className="text-sm text-slate-800">
            {notice?.kind === 'moved' && t('board.moved', { number: notice.number, status: t(`status.${notice.to}`) })}
            {notice?.kind === 'notAllowed' && t('board.notAllowed', { number: notice.number, from: t(`status.${notice.from}`), to: t(`status.${notice.to}`) })}
            {notice?.kind === 'changed' && t('board.changedMeanwhile', { number: notice.number })}
            {notice?.kind === 'movedBy' && t('live.movedBy', { name: actorLabel(actorOf(notice.by), t), number: notice.number, status: t(`status.${notice.to}`) })}
          </p>
        )}
      </div>
      <div className="-mx-4 flex min-h-0 flex-1 gap-4 overflow-x-auto px-4 pb-4">
        {COLUMNS.map((status) => (
          <BoardColumn
            key={status}
            status={status}
            accepts={accepts(status)}
            dragging={dragged !== null && dragged.order.status !== status}
            movingOrderId={move.isPending ? move.variables.orderId : undefined}
            movingTo={move.isPending ? move.variables.to : undefined}
            focusOrderId={focusOrderId}
            onMove={moveOrder}
            onDragStart={startDrag}
            onDragEnd={() => setDragged(null)}
            onDrop={(to) => void drop(to)}
          />
        ))}
      </div>
    </div>
  );
}
