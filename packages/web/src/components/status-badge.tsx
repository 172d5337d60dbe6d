import type { OrderStatus } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** Each status its own colour pair, all with AA contrast. */
const COLOURS: Record<OrderStatus, string> = {
  PENDING: 'bg-amber-100 text-amber-900',
  CONFIRMED: 'bg-sky-100 text-sky-900',
  PACKED: 'bg-violet-100 text-violet-900',
  SHIPPED: 'bg-indigo-100 text-indigo-900',
  DELIVERED: 'bg-emerald-100 text-emerald-900',
  CANCELLED: 'bg-slate-200 text-slate-800',
  RETURN_REQUESTED: 'bg-orange-100 text-orange-900',
  RETURNED: 'bg-rose-100 text-rose-900',
};

export function StatusBadge({ status }: { status: OrderStatus }) {
  const { t } = useI18n();
  return <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${COLOURS[status]}`}>{t(`status.${status}`)}</span>;
}
