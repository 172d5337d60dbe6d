import type { ReactNode } from 'react';
import { ApiError } from '../../api/api-error.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Button } from '../button.tsx';

/** Whether a refusal names the field at `path` (`body.sku`, …) in its `details`. */
export function namesField(error: unknown, path: string): boolean {
  return error instanceof ApiError && error.details.some((detail) => detail.path === path);
}

/** Whether a failure is Keel's answer with this code. */
export function hasCode(error: unknown, code: string): boolean {
  return error instanceof ApiError && error.code === code;
}

/**
 * Someone changed the record since the form was filled (409 VERSION_CONFLICT): says so, keeps what
 * the person typed, and offers to load the latest version (whose version the next save sends).
 */
export function ConflictNotice({ onReload, reloading }: { onReload: () => void; reloading: boolean }) {
  const { t, errorMessage } = useI18n();
  return (
    <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-3 text-sm text-amber-950">
      <p className="font-medium">{errorMessage(new ApiError({ status: 409, code: 'VERSION_CONFLICT' }))}</p>
      <p className="mt-1">{t('catalog.conflict.kept')}</p>
      <Button variant="secondary" className="mt-2" onClick={onReload} busy={reloading} busyLabel={t('catalog.conflict.reloading')}>
        {t('catalog.conflict.reload')}
      </Button>
    </div>
  );
}

/** A catalogue form's Cancel and submit buttons; the submit button says it is saving while `busy`. */
export function FormActions({ onCancel, busy, submitLabel }: { onCancel: () => void; busy: boolean; submitLabel: string }) {
  const { t } = useI18n();
  return (
    <div className="flex justify-end gap-2">
      <Button variant="secondary" onClick={onCancel}>
        {t('catalog.action.cancel')}
      </Button>
      <Button type="submit" busy={busy} busyLabel={t('catalog.action.saving')}>
        {submitLabel}
      </Button>
    </div>
  );
}

/** A quiet confirmation after an action ("Product saved"), announced to screen readers. */
export function StatusMessage({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="min-h-5 text-sm text-emerald-800">
      {children}
    </p>
  );
}
