import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { ApiError } from '../../api/api-error.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Button, FOCUS_RING } from '../button.tsx';

/** Whether a refusal names the field at `path` (`body.sku`, …) in its `details`. */
export function namesField(error: unknown, path: string): boolean {
  return error instanceof ApiError && error.details.some((detail) => detail.path === path);
}

/** Whether a failure is Keel's answer with this code. */
export function hasCode(error: unknown, code: string): boolean {
  return error instanceof ApiError && error.code === code;
}

const CONTROL = `block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-500 aria-[invalid=true]:border-red-700 ${FOCUS_RING}`;

function describedBy(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  const ids = [hint !== undefined ? `${id}-hint` : undefined, error !== undefined ? `${id}-error` : undefined].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function HintAndError({ id, hint, error }: { id: string; hint: string | undefined; error: string | undefined }) {
  return (
    <>
      {hint !== undefined && (
        <p id={`${id}-hint`} className="text-sm text-slate-600">
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p id={`${id}-error`} className="text-sm text-red-700" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

interface TextAreaProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
}

/** A labelled multi-line text field, its hint and error linked like TextField's. */
export function TextAreaField({ label, hint, error, className = '', ...textarea }: TextAreaProps) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <textarea id={id} className={`${CONTROL} ${className}`} aria-invalid={error !== undefined} aria-describedby={describedBy(id, hint, error)} {...textarea} />
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'> {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
}

/** A labelled checkbox with an optional hint and error. */
export function CheckboxField({ label, hint, error, ...input }: CheckboxProps) {
  const id = useId();
  return (
    <div className="space-y-1">
      <div className="flex items-center gap-2">
        <input
          id={id}
          type="checkbox"
          className={`size-4 rounded border-slate-400 accent-indigo-600 ${FOCUS_RING}`}
          aria-invalid={error !== undefined}
          aria-describedby={describedBy(id, hint, error)}
          {...input}
        />
        <label htmlFor={id} className="text-sm font-medium text-slate-900">
          {label}
        </label>
      </div>
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
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

/** A quiet confirmation after an action ("Product saved"), announced to screen readers. */
export function StatusMessage({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="min-h-5 text-sm text-emerald-800">
      {children}
    </p>
  );
}
