import { getRouteApi, Link } from '@tanstack/react-router';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../../api/api-error.ts';
import type { OrderDetail } from '../../api/types.ts';
import { LINK_CLASSES } from '../../components/button.tsx';
import { Card, CELL, FormError, Table } from '../../components/card.tsx';
import { DateTime, Money } from '../../components/formatted.tsx';
import { NotesEditor } from '../../components/orders/notes-editor.tsx';
import { ORDER_ID, useActors, useMoveOrder, useOrderDetail } from '../../components/orders/order-api.ts';
import { OrderNotFound } from '../../components/orders/order-not-found.tsx';
import { StatusHistory } from '../../components/orders/status-history.tsx';
import { TransitionButtons } from '../../components/orders/transition-buttons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryView } from '../../components/page-state.tsx';
import { StatusBadge } from '../../components/status-badge.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { actorLabel } from '../../live/actor-label.ts';
import { LiveBanner } from '../../live/live-banner.tsx';
import { PresenceAvatars } from '../../live/presence-avatars.tsx';
import { useLiveView, type LiveView } from '../../live/use-live.ts';
import { useOrganization } from '../../session/organization.tsx';

const route = getRouteApi('/_app/t/$slug/orders/$orderId');

/** One order: lines, totals, the moves it may make now, notes, and its status history. */
export function OrderPage() {
  const { orderId } = route.useParams();
  const order = useOrderDetail(orderId);
  // Live: who else has the order open or edits its notes; the order follows others' changes.
  const [editingNotes, setEditingNotes] = useState(false);
  const live = useLiveView(ORDER_ID.test(orderId) ? `order:${orderId.toLowerCase()}` : undefined, editingNotes ? 'editing' : 'viewing');
  if (!ORDER_ID.test(orderId) || (order.error instanceof ApiError && order.error.code === 'ORDER_NOT_FOUND')) return <OrderNotFound />;
  return (
    <QueryView query={order}>
      {(found) => (
        <OrderView order={found} reload={async () => (await order.refetch()).data} live={live} onEditingNotes={setEditingNotes} />
      )}
    </QueryView>
  );
}

interface OrderViewProps {
  order: OrderDetail;
  reload(): Promise<OrderDetail | undefined>;
  live: LiveView;
  onEditingNotes(editing: boolean): void;
}

function OrderView({ order, reload, live, onEditingNotes }: OrderViewProps) {
  const { t, errorMessage } = useI18n();
  const { slug } = useOrganization();
  const move = useMoveOrder();
  const actorOf = useActors();
  const nameOf = (subject: string) => actorLabel(actorOf(subject), t);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/t/$slug/orders" params={{ slug }} className={LINK_CLASSES}>
          ← {t('orderPage.backToOrders')}
        </Link>
      </p>
      <PageHeader
        title={t('order.title', { number: order.number })}
        description={order.store.name}
        actions={
          <>
            <PresenceAvatars others={live.others} />
            <span data-testid="order-status" className="self-center">
              <StatusBadge status={order.status} />
            </span>
          </>
        }
      />
      <LiveBanner status={live.status} />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Table caption={t('order.lines')} head={[t('products.name'), t('products.sku'), <Numeric key="q">{t('order.quantity')}</Numeric>, <Numeric key="u">{t('order.unitPrice')}</Numeric>, <Numeric key="l">{t('order.lineTotal')}</Numeric>]}>
            {order.lines.map((line) => (
              <tr key={line.position}>
                <td className={CELL}>{line.productName}</td>
                <td className={`${CELL} font-mono text-xs`}>{line.sku}</td>
                <td className={`${CELL} text-right tabular-nums`}>{line.quantity}</td>
                <td className={`${CELL} text-right`}>
                  <Money minor={line.unitPriceMinor} currency={order.currency} />
                </td>
                <td className={`${CELL} text-right`}>
                  <Money minor={line.lineTotalMinor} currency={order.currency} />
                </td>
              </tr>
            ))}
          </Table>
          <Card>
            <h2 className="sr-only">{t('orderPage.totals')}</h2>
            <dl className="ml-auto max-w-xs space-y-2 text-sm">
              <Amount label={t('order.subtotal')} minor={order.subtotalMinor} currency={order.currency} />
              <Amount label={t('order.discount')} minor={order.discountMinor === 0 ? 0 : -order.discountMinor} currency={order.currency} />
              <Amount label={t('order.tax')} minor={order.taxMinor} currency={order.currency} />
              <div className="flex justify-between border-t border-slate-200 pt-2 text-base">
                <dt className="font-semibold text-slate-900">{t('order.total')}</dt>
                <dd className="font-semibold text-slate-900" data-testid="order-total">
                  <Money minor={order.totalMinor} currency={order.currency} />
                </dd>
              </div>
            </dl>
          </Card>
          <Card>
            <NotesEditor
              order={order}
              reload={reload}
              editors={live.others.filter((member) => member.activity === 'editing').map((member) => nameOf(member.subject))}
              lastChange={live.notesChange === undefined ? undefined : { version: live.notesChange.version, name: nameOf(live.notesChange.by) }}
              onEditingChange={onEditingNotes}
            />
          </Card>
        </div>
        <div className="space-y-6">
          <Card>
            <h2 className="text-base font-semibold text-slate-900">{t('orderPage.actions')}</h2>
            <div className="mt-3 space-y-3">
              {move.error !== null && <FormError message={`${errorMessage(move.error)} ${t('orderAction.refreshed')}`} />}
              {order.allowedTransitions.length === 0 ? (
                <p className="text-sm text-slate-700">{t('orderAction.none')}</p>
              ) : (
                <TransitionButtons
                  allowed={order.allowedTransitions}
                  number={order.number}
                  pending={move.isPending ? move.variables.to : undefined}
                  onMove={(to) => move.mutate({ orderId: order.id, to, version: order.version })}
                />
              )}
            </div>
          </Card>
          <Card>
            <h2 className="text-base font-semibold text-slate-900">{t('orderPage.customer')}</h2>
            <dl className="mt-3 space-y-1 text-sm">
              <dt className="sr-only">{t('field.name')}</dt>
              <dd className="font-medium text-slate-900">{order.customer.name}</dd>
              <dt className="sr-only">{t('field.email')}</dt>
              <dd className="text-slate-700">{order.customer.email}</dd>
              <dt className="sr-only">{t('orders.createdAt')}</dt>
              <dd className="text-slate-700">
                {t('orderPage.placed')} <DateTime iso={order.createdAt} />
              </dd>
            </dl>
          </Card>
          <Card>
            <h2 className="text-base font-semibold text-slate-900">{t('order.history')}</h2>
            <div className="mt-3">
              <StatusHistory history={order.statusHistory} />
            </div>
          </Card>
        </div>
      </div>
    </>
  );
}

function Numeric({ children }: { children: ReactNode }) {
  return <span className="block text-right">{children}</span>;
}

function Amount({ label, minor, currency }: { label: string; minor: number; currency: string }) {
  return (
    <div className="flex justify-between">
      <dt className="text-slate-700">{label}</dt>
      <dd className="text-slate-900">
        <Money minor={minor} currency={currency} />
      </dd>
    </div>
  );
}
