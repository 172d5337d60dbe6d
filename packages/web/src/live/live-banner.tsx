import { useI18n } from '../i18n/i18n.tsx';
import type { LiveStatus } from './live-connection.ts';

/** Said while the live connection is down after having been up: what is shown may be out of date. */
export function LiveBanner({ status }: { status: LiveStatus }) {
  const { t } = useI18n();
  return (
    <div role="status" aria-live="polite">
      {status === 'reconnecting' && (
        <p data-testid="live-reconnecting" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          {t('live.reconnecting')}
        </p>
      )}
    </div>
  );
}
