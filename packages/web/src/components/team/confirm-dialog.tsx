import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { Button } from '../button.tsx';
import { FormError } from '../card.tsx';

interface ConfirmDialogProps {
  title: string;
  /** What will happen, in plain words. */
  message: string;
  confirmLabel: string;
  busyLabel: string;
  busy: boolean;
  /** The refusal of the last attempt, in people's words; the dialog stays open to show it. */
  error: string | null;
  variant?: 'primary' | 'danger';
  onConfirm(): void;
  onCancel(): void;
  /** Fields the confirmation needs (a role to choose). */
  children?: ReactNode;
}

/**
 * A modal question before a change that cannot be undone from the page (removing, revoking,
 * leaving). The browser's own <dialog>: focus moves into it and stays there, Escape cancels, and
 * focus returns to the control that opened it. Mount it to open it; unmount it to close it.
 */
export function ConfirmDialog({ title, message, confirmLabel, busyLabel, busy, error, variant = 'danger', onConfirm, onCancel, children }: ConfirmDialogProps) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const messageId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (!element.open) element.showModal();
    return () => element.close();
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!busy) onConfirm();
  }

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      aria-describedby={messageId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
      className="m-auto w-full max-w-md rounded-lg bg-white p-0 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/50"
    >
      <form onSubmit={submit} className="space-y-4 p-6">
        <h2 id={titleId} className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        <p id={messageId} className="text-sm text-slate-700">
          {message}
        </p>
        {children}
        <FormError message={error} />
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={onCancel} disabled={busy}>
            {t('team.cancel')}
          </Button>
          <Button type="submit" variant={variant} busy={busy} busyLabel={busyLabel}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
