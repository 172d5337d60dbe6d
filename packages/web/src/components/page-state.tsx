import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../api/api-error.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Button } from './button.tsx';

type PageStateProps =
  | { kind: 'loading'; label?: string }
  | { kind: 'empty'; message: string; action?: ReactNode }
  | { kind: 'error'; error: unknown; onRetry?: (() => void) | undefined };

/** The three states a page shows instead of its content: loading, empty, and failed (the error in people's words). */
export function PageState(props: PageStateProps) {
  const { t, errorMessage } = useI18n();
  switch (props.kind) {
    case 'loading':
      return (
        <div role="status" className="flex items-center gap-3 py-10 text-sm text-slate-600">
          <span aria-hidden="true" className="size-4 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-600" />
          {props.label ?? t('state.loading')}
        </div>
      );
    case 'empty':
      return (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
          <p className="text-sm text-slate-700">{props.message}</p>
          {props.action !== undefined && <div className="mt-4">{props.action}</div>}
        </div>
      );
    case 'error':
      return (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-4">
          <p className="text-sm font-medium text-red-800">{errorMessage(props.error)}</p>
          {props.error instanceof ApiError && props.error.requestId !== null && (
            <p className="mt-1 text-xs text-red-800">{t('state.requestId', { requestId: props.error.requestId })}</p>
          )}
          {props.onRetry !== undefined && (
            <Button variant="secondary" className="mt-3" onClick={props.onRetry}>
              {t('action.retry')}
            </Button>
          )}
        </div>
      );
  }
}

interface QueryViewProps<T> {
  query: UseQueryResult<T>;
  /** When the data counts as empty (no items): then `empty` shows instead of `children`. */
  isEmpty?: (data: T) => boolean;
  empty?: string;
  emptyAction?: ReactNode;
  children: (data: T) => ReactNode;
}

/** A query's loading, error (with retry) and empty states, then its data. */
export function QueryView<T>({ query, isEmpty, empty, emptyAction, children }: QueryViewProps<T>) {
  const { t } = useI18n();
  if (query.isPending) return <PageState kind="loading" />;
  if (query.isError) return <PageState kind="error" error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data) === true) return <PageState kind="empty" message={empty ?? t('state.empty')} action={emptyAction} />;
  return <>{children(query.data)}</>;
}
