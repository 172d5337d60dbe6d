import { useI18n } from '../../i18n/i18n.tsx';
import type { ImportState } from './imports-api.ts';

/** A bar from 0 to 100 with its label, for screen readers as well. */
export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  return (
    <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className="h-2 w-full min-w-24 overflow-hidden rounded-full bg-slate-200">
      <div className="h-full rounded-full bg-indigo-600 transition-[width]" style={{ width: `${percent}%` }} />
    </div>
  );
}

/** Each state its own colour pair, all with AA contrast. */
const COLOURS: Record<ImportState, string> = {
  awaiting_upload: 'bg-slate-200 text-slate-800',
  queued: 'bg-amber-100 text-amber-900',
  processing: 'bg-sky-100 text-sky-900',
  done: 'bg-emerald-100 text-emerald-900',
  failed: 'bg-rose-100 text-rose-900',
};

export function ImportStateBadge({ state }: { state: ImportState }) {
  const { t } = useI18n();
  return <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${COLOURS[state]}`}>{t(`imports.state.${state}`)}</span>;
}
