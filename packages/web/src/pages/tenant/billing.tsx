import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../api/api-error.ts';
import { billingApi, usageFigures, type LimitName, type Plan, type RegionUsage, type Subscription } from '../../components/billing/billing-api.ts';
import { PlanList, type PlanChange } from '../../components/billing/plan-list.tsx';
import { UsageBars } from '../../components/billing/usage-bars.tsx';
import { Button } from '../../components/button.tsx';
import { Card, FormError } from '../../components/card.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { PageState } from '../../components/page-state.tsx';
import { ConfirmDialog } from '../../components/team/confirm-dialog.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrganization, useTenantApi, useTenantKey } from '../../session/organization.tsx';

type Dialog = PlanChange | { kind: 'cancel' };

/**
 * The organization's plan (owners; anyone else gets Keel's FORBIDDEN_ROLE in words): the current
 * plan and period, usage against each limit, and the changes — upgrade (at once), downgrade (at the
 * period end), cancel (its consequence said before confirming) and resume before the period end.
 */
export function BillingPage() {
  const { t } = useI18n();
  const organization = useOrganization();
  const key = useTenantKey();
  const api = useTenantApi();
  const subscription = useQuery({ queryKey: key('subscription'), queryFn: () => billingApi.subscription(organization.id) });
  const plans = useQuery({ queryKey: ['plans'], queryFn: billingApi.plans, staleTime: 5 * 60_000 });
  // The region's live figures; central's last report stands in while they are unavailable.
  const usage = useQuery({ queryKey: key('usage'), queryFn: () => api.request<RegionUsage>('/usage'), enabled: subscription.isSuccess });

  const header = <PageHeader title={t('billing.title')} description={t('billing.description', { organization: organization.name, timezone: organization.timezone })} />;
  let state = null;
  if (subscription.isPending || plans.isPending) state = <PageState kind="loading" />;
  else if (subscription.isError) state = <PageState kind="error" error={subscription.error} onRetry={() => void subscription.refetch()} />;
  else if (plans.isError) state = <PageState kind="error" error={plans.error} onRetry={() => void plans.refetch()} />;
  else if (plans.data.items.length === 0) state = <PageState kind="empty" message={t('billing.plans.empty')} />;
  return (
    <>
      {header}
      {state ?? <Billing subscription={subscription.data!} plans={plans.data!.items} region={usage.data} />}
    </>
  );
}

function Billing({ subscription, plans, region }: { subscription: Subscription; plans: Plan[]; region: RegionUsage | undefined }) {
  const i18n = useI18n();
  const { t, money, dateTime, errorMessage } = i18n;
  const organization = useOrganization();
  const key = useTenantKey();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<Dialog | null>(null);

  const when = (iso: string) => dateTime(iso, organization.timezone, 'dateTime');
  const planName = (id: Subscription['plan']) => t(`billing.plan.${id}`);
  const currentPlan = plans.find((plan) => plan.id === subscription.plan);
  const figures = usageFigures(subscription, region);

  const change = useMutation({
    mutationFn: (asked: Dialog | 'resume') => {
      if (asked === 'resume') return billingApi.resume(organization.id);
      if (asked.kind === 'cancel') return billingApi.cancel(organization.id);
      return asked.kind === 'upgrade' ? billingApi.upgrade(organization.id, asked.plan.id) : billingApi.downgrade(organization.id, asked.plan.id);
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(key('subscription'), updated);
      void queryClient.invalidateQueries({ queryKey: key('usage') });
      setDialog(null);
    },
  });

  function open(next: Dialog) {
    change.reset();
    setDialog(next);
  }

  /** A refusal in words; a blocked downgrade also lists what to reduce. */
  function refusal(target: Plan | null): string | null {
    if (change.error === null) return null;
    const message = errorMessage(change.error);
    if (!(change.error instanceof ApiError) || change.error.code !== 'PLAN_DOWNGRADE_BLOCKED' || target === null) return message;
    const reductions = change.error.details
      .map((detail) => detail.path.replace(/^usage\./, '') as LimitName)
      .filter((limit) => limit in target.limits)
      .map((limit) =>
        t('billing.downgrade.reduce', { limit: t(`billing.limit.${limit}`), used: figures[limit] ?? '?', plan: t(`billing.plan.${target.id}`), allowed: target.limits[limit] ?? '∞' }),
      );
    return [message, ...reductions].join(' ');
  }

  const periodEnd = subscription.currentPeriodEnd;
  let status: string;
  if (subscription.status === 'ended') status = t('billing.current.ended');
  else if (periodEnd === null) status = t('billing.current.free');
  else if (subscription.cancelAtPeriodEnd) status = t('billing.current.endsOn', { plan: planName(subscription.plan), date: when(periodEnd) });
  else if (subscription.pendingPlan !== null) status = t('billing.current.pending', { plan: planName(subscription.pendingPlan), current: planName(subscription.plan), date: when(periodEnd) });
  else status = t('billing.current.renews', { date: when(periodEnd) });

  return (
    <div className="space-y-8">
      <Card>
        <section aria-labelledby="billing-current">
          <h2 id="billing-current" className="text-sm font-medium text-slate-600">
            {t('billing.current.title')}
          </h2>
          <div className="mt-1 flex flex-wrap items-start justify-between gap-4">
            <div>
              <p className="text-2xl font-semibold text-slate-900">{t('billing.current.plan', { plan: planName(subscription.plan) })}</p>
              {currentPlan !== undefined && currentPlan.priceMinor > 0 && (
                <p className="text-sm text-slate-700">{t('billing.current.price', { price: money(currentPlan.priceMinor, currentPlan.currency) })}</p>
              )}
              <p className={`mt-2 text-sm ${subscription.status === 'ended' || subscription.cancelAtPeriodEnd ? 'font-medium text-red-800' : 'text-slate-700'}`}>{status}</p>
              {periodEnd !== null && <p className="text-sm text-slate-600">{t('billing.current.since', { date: when(subscription.currentPeriodStart) })}</p>}
            </div>
            <div className="flex flex-col items-end gap-2">
              {subscription.cancelAtPeriodEnd && (
                <Button onClick={() => change.mutate('resume')} busy={change.isPending && dialog === null} busyLabel={t('billing.resume.busy')}>
                  {t('billing.resume', { plan: planName(subscription.plan) })}
                </Button>
              )}
              {subscription.status === 'active' && !subscription.cancelAtPeriodEnd && (
                <Button variant="secondary" onClick={() => open({ kind: 'cancel' })}>
                  {t('billing.cancel.open')}
                </Button>
              )}
            </div>
          </div>
          {dialog === null && <FormError message={refusal(null)} />}
        </section>
      </Card>

      <section aria-labelledby="billing-usage">
        <h2 id="billing-usage" className="text-lg font-semibold text-slate-900">
          {t('billing.usage.title')}
        </h2>
        <p className="mb-4 text-sm text-slate-600">{t('billing.usage.description')}</p>
        <Card>
          <UsageBars figures={figures} limits={subscription.limits} />
          {region === undefined && subscription.usage.measuredAt !== null && (
            <p className="mt-4 text-xs text-slate-600">{t('billing.usage.measuredAt', { date: when(subscription.usage.measuredAt) })}</p>
          )}
        </Card>
      </section>

      <section aria-labelledby="billing-plans">
        <h2 id="billing-plans" className="mb-4 text-lg font-semibold text-slate-900">
          {t('billing.plans.title')}
        </h2>
        <PlanList plans={plans} subscription={subscription} onChange={open} />
      </section>

      {dialog !== null && (
        <ChangeDialog
          dialog={dialog}
          subscription={subscription}
          busy={change.isPending}
          error={refusal(dialog.kind === 'cancel' ? null : dialog.plan)}
          onConfirm={() => change.mutate(dialog)}
          onCancel={() => setDialog(null)}
          when={when}
        />
      )}
    </div>
  );
}

interface ChangeDialogProps {
  dialog: Dialog;
  subscription: Subscription;
  busy: boolean;
  error: string | null;
  when(iso: string): string;
  onConfirm(): void;
  onCancel(): void;
}

/** The question before a change, with what it will do in words — a cancellation's consequence included. */
function ChangeDialog({ dialog, subscription, busy, error, when, onConfirm, onCancel }: ChangeDialogProps) {
  const { t, money } = useI18n();
  const current = t(`billing.plan.${subscription.plan}`);
  const periodEnd = subscription.currentPeriodEnd;
  const common = { busy, error, onConfirm, onCancel };
  if (dialog.kind === 'cancel') {
    const message = periodEnd === null ? t('billing.cancel.messageFree') : t('billing.cancel.messagePaid', { plan: current, date: when(periodEnd) });
    return <ConfirmDialog {...common} title={t('billing.cancel.title', { plan: current })} message={message} confirmLabel={t('billing.cancel.confirm')} busyLabel={t('billing.cancel.busy')} />;
  }
  const target = t(`billing.plan.${dialog.plan.id}`);
  if (dialog.kind === 'downgrade') {
    const message = t('billing.downgrade.message', { current, plan: target, date: periodEnd === null ? '' : when(periodEnd) });
    return <ConfirmDialog {...common} variant="primary" title={t('billing.downgrade.title', { plan: target })} message={message} confirmLabel={t('billing.downgrade.confirm')} busyLabel={t('billing.downgrade.busy')} />;
  }
  const free = dialog.plan.priceMinor === 0;
  const message = free ? t('billing.upgrade.messageFree') : t('billing.upgrade.message', { plan: target, price: money(dialog.plan.priceMinor, dialog.plan.currency) });
  const confirmLabel = subscription.status === 'ended' ? t('billing.subscribe.confirm', { plan: target }) : t('billing.upgrade.confirm');
  return <ConfirmDialog {...common} variant="primary" title={t('billing.upgrade.title', { plan: target })} message={message} confirmLabel={confirmLabel} busyLabel={t('billing.upgrade.busy')} />;
}
