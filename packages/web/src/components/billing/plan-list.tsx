import { Button } from '../button.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { LIMIT_NAMES, type Plan, type PlanId, type Subscription } from './billing-api.ts';

export type PlanChange = { kind: 'upgrade' | 'downgrade'; plan: Plan };

/**
 * The plans, cheapest first, with their price and limits, and for each the change an owner may ask
 * for from the current subscription: upgrade (above), downgrade (below a paid plan, at the period
 * end), or — once the subscription has ended — choosing any plan again.
 */
export function PlanList({ plans, subscription, onChange }: { plans: Plan[]; subscription: Subscription; onChange(change: PlanChange): void }) {
  const { t, money, number } = useI18n();
  const rank = (id: PlanId) => plans.findIndex((plan) => plan.id === id);
  const current = rank(subscription.plan);
  const ended = subscription.status === 'ended';
  return (
    <ul className="grid gap-4 md:grid-cols-3">
      {plans.map((plan, index) => {
        const name = t(`billing.plan.${plan.id}`);
        const isCurrent = !ended && plan.id === subscription.plan;
        let action = null;
        if (ended) {
          action = <Button onClick={() => onChange({ kind: 'upgrade', plan })}>{t('billing.plans.subscribe', { plan: name })}</Button>;
        } else if (index > current) {
          action = <Button onClick={() => onChange({ kind: 'upgrade', plan })}>{t('billing.plans.upgrade', { plan: name })}</Button>;
        } else if (index < current && subscription.pendingPlan !== plan.id) {
          action = (
            <Button variant="secondary" onClick={() => onChange({ kind: 'downgrade', plan })}>
              {t('billing.plans.downgrade', { plan: name })}
            </Button>
          );
        }
        return (
          <li key={plan.id} aria-current={isCurrent ? 'true' : undefined} className={`flex flex-col rounded-lg bg-white p-5 shadow-sm ring-1 ${isCurrent ? 'ring-2 ring-indigo-600' : 'ring-slate-200'}`}>
            <h3 className="text-base font-semibold text-slate-900">{name}</h3>
            <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{t('billing.plans.perMonth', { price: money(plan.priceMinor, plan.currency) })}</p>
            <dl className="mt-4 flex-1 space-y-1 text-sm">
              {LIMIT_NAMES.map((limit) => (
                <div key={limit} className="flex justify-between gap-2">
                  <dt className="text-slate-700">{t(`billing.limit.${limit}`)}</dt>
                  <dd className="tabular-nums font-medium text-slate-900">{plan.limits[limit] === null ? t('billing.unlimited') : number(plan.limits[limit])}</dd>
                </div>
              ))}
            </dl>
            <div className="mt-4">
              {isCurrent && <p className="text-sm font-semibold text-indigo-700">{t('billing.plans.current')}</p>}
              {action}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
