import type { OrderDetail } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { DateTime } from '../formatted.tsx';
import { StatusBadge } from '../status-badge.tsx';
import { useActors, type Actor } from './order-api.ts';

/** Every status the order has had, oldest first: from → to, who, when (in the organization's time zone). */
export function StatusHistory({ history }: { history: OrderDetail['statusHistory'] }) {
  const { t } = useI18n();
  const actorOf = useActors();
  return (
    <ol className="space-y-3 text-sm">
      {history.map((entry, index) => (
        <li key={index} className="border-l-2 border-slate-200 pl-3">
          <div className="flex flex-wrap items-center gap-1.5">
            {entry.from === null ? (
              <span className="text-slate-700">{t('history.created')}</span>
            ) : (
              <>
                <StatusBadge status={entry.from} />
                <span aria-hidden="true" className="text-slate-600">
                  →
                </span>
                <span className="sr-only">{t('history.to')}</span>
              </>
            )}
            <StatusBadge status={entry.to} />
          </div>
          <p className="mt-1 text-slate-700">
            <ActorName actor={actorOf(entry.by)} /> · <DateTime iso={entry.at} />
          </p>
        </li>
      ))}
    </ol>
  );
}

function ActorName({ actor }: { actor: Actor }) {
  const { t } = useI18n();
  switch (actor.kind) {
    case 'member':
      return <span className="font-medium text-slate-900">{actor.name}</span>;
    case 'apiKey':
      return <>{t('history.byApiKey')}</>;
    case 'sampleData':
      return <>{t('history.bySampleData')}</>;
    case 'formerMember':
      return <>{t('history.byFormerMember')}</>;
    case 'pending':
      return <>…</>;
  }
}
