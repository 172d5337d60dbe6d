import { useState } from 'react';
import type { OrderStatus } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Button } from '../button.tsx';

interface TransitionButtonsProps {
  /** The order's `allowedTransitions` from the API: nothing else is ever offered. */
  allowed: readonly OrderStatus[];
  /** The order's number, for the cancel confirmation. */
  number: number;
  /** The move being sent, if any: every button waits meanwhile. */
  pending: OrderStatus | undefined;
  onMove(to: OrderStatus): void;
  /** Small buttons, for a card on the board. */
  compact?: boolean;
}

/**
 * One button per move the order may make now, forward moves first; cancelling asks once more
 * ("Cancel order #12?") since it cannot be undone.
 */
export function TransitionButtons({ allowed, number, pending, onMove, compact = false }: TransitionButtonsProps) {
  const { t } = useI18n();
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  // Keyboard focus follows the question: onto "keep it" when asked, back to "cancel" when kept.
  const [askedBefore, setAskedBefore] = useState(false);
  const forward = allowed.filter((status) => status !== 'CANCELLED');
  const busy = pending !== undefined;
  const size = compact ? 'px-2! py-1! text-xs!' : '';
  if (confirmingCancel && allowed.includes('CANCELLED')) {
    return (
      <div role="group" aria-label={t('orderAction.confirmCancel', { number })} className="flex flex-wrap items-center gap-2">
        <span className={`${compact ? 'text-xs' : 'text-sm'} font-medium text-slate-900`}>{t('orderAction.confirmCancel', { number })}</span>
        <Button
          variant="danger"
          className={size}
          busy={pending === 'CANCELLED'}
          busyLabel={t('orderAction.moving')}
          disabled={busy}
          onClick={() => {
            setConfirmingCancel(false);
            onMove('CANCELLED');
          }}
        >
          {t('orderAction.cancelYes')}
        </Button>
        <Button
          variant="secondary"
          className={size}
          disabled={busy}
          autoFocus
          onClick={() => {
            setConfirmingCancel(false);
            setAskedBefore(true);
          }}
        >
          {t('orderAction.cancelNo')}
        </Button>
      </div>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2">
      {forward.map((status) => (
        <Button key={status} className={size} busy={pending === status} busyLabel={t('orderAction.moving')} disabled={busy} onClick={() => onMove(status)}>
          {t(`orderAction.${status}`)}
        </Button>
      ))}
      {allowed.includes('CANCELLED') && (
        <Button variant="secondary" className={size} disabled={busy} autoFocus={askedBefore} onClick={() => setConfirmingCancel(true)}>
          {t('orderAction.CANCELLED')}
        </Button>
      )}
    </div>
  );
}
