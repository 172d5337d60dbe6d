import { useId } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { LIMIT_NAMES, type LimitName, type PlanLimits } from './billing-api.ts';

/**
 * One bar per limit of the plan: what is used of it, as a labelled progress bar whose value screen
 * readers read out ("2 of 10"). An unlimited limit has no bar, only the figure and "unlimited"; a
 * figure the region has not reported yet says so.
 */
export function UsageBars({ figures, limits }: { figures: Record<LimitName, number | null>; limits: PlanLimits }) {
  return (
    <ul className="space-y-4">
      {LIMIT_NAMES.map((name) => (
        <UsageBar key={name} name={name} used={figures[name]} limit={limits[name]} />
      ))}
    </ul>
  );
}

function UsageBar({ name, used, limit }: { name: LimitName; used: number | null; limit: number | null }) {
  const { t, number } = useI18n();
  const labelId = useId();
  const label = t(`billing.limit.${name}`);
  let text: string;
  if (used === null) text = t('billing.usage.notMeasured');
  else if (limit === null) text = t('billing.usage.unlimited', { used: number(used) });
  else text = t('billing.usage.of', { used: number(used), limit: number(limit) });
  const over = used !== null && limit !== null && used > limit;
  const share = used === null || limit === null ? 0 : limit === 0 ? 1 : Math.min(used / limit, 1);
  const colour = over ? 'bg-red-700' : share >= 0.8 ? 'bg-amber-600' : 'bg-indigo-600';
  return (
    <li>
      <div className="flex items-baseline justify-between gap-4 text-sm">
        <span id={labelId} className="font-medium text-slate-900">
          {label}
        </span>
        <span className="tabular-nums text-slate-700">{text}</span>
      </div>
      {used !== null && limit !== null && (
        <div
          role="progressbar"
          aria-labelledby={labelId}
          aria-valuemin={0}
          aria-valuemax={limit}
          aria-valuenow={Math.min(used, limit)}
          aria-valuetext={text}
          className="mt-1 h-2 overflow-hidden rounded-full bg-slate-200"
        >
          <div className={`h-full rounded-full ${colour}`} style={{ width: `${Math.round(share * 100)}%` }} />
        </div>
      )}
      {over && <p className="mt-1 text-xs text-red-800">{t('billing.usage.over')}</p>}
    </li>
  );
}
