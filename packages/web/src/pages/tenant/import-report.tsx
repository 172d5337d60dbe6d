import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { ApiError } from '../../api/api-error.ts';
import { Button, LINK_CLASSES } from '../../components/button.tsx';
import { Card, CELL, Table } from '../../components/card.tsx';
import { ImportStateBadge, ProgressBar } from '../../components/imports/import-parts.tsx';
import { importsApi, isRunning } from '../../components/imports/imports-api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { PageState, QueryView } from '../../components/page-state.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useLiveImports } from '../../live/use-live.ts';
import { useOrganization, useTenantApi, useTenantKey } from '../../session/organization.tsx';

const route = getRouteApi('/_app/t/$slug/imports/$importId');

/** While the live connection is down, a running import is read again this often. */
const POLL_MS = 1_000;

/** One import: its state and counts (read again at each of its live events while it runs), and its rejected rows with the reason in words. */
export function ImportReportPage() {
  const { importId } = route.useParams();
  const { t, errorMessage } = useI18n();
  const { slug } = useOrganization();
  const api = importsApi(useTenantApi());
  const key = useTenantKey();
  const live = useLiveImports(key('imports', importId));
  const item = useQuery({ queryKey: key('imports', importId), queryFn: () => api.get(importId), refetchInterval: (query) => (!live && query.state.data && isRunning(query.state.data) ? POLL_MS : false) });
  const finished = item.data?.state === 'done' || item.data?.state === 'failed';
  const rejections = useInfiniteQuery({
    queryKey: key('imports', importId, 'rejections'),
    queryFn: ({ pageParam }) => api.rejections(importId, pageParam),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextAfterRow ?? undefined,
    enabled: finished,
  });
  const inWords = (code: string) => errorMessage(new ApiError({ status: 422, code }));

  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/t/$slug/imports" params={{ slug }} className={LINK_CLASSES}>
          {t('imports.back')}
        </Link>
      </p>
      <QueryView query={item}>
        {(current) => (
          <>
            <PageHeader title={t('imports.reportTitle', { fileName: current.fileName })} description={t(`imports.kind.${current.kind}`)} />
            <Card className="mb-6 space-y-3">
              <div className="flex items-center gap-3">
                <ImportStateBadge state={current.state} />
                <span className="text-sm text-slate-800" data-testid="import-summary">
                  {t('imports.rowsSummary', { imported: current.rowsImported, rejected: current.rowsRejected })}
                </span>
              </div>
              <ProgressBar percent={current.progress} label={t('imports.progress')} />
              {current.failureCode !== null && (
                <p role="alert" className="text-sm text-red-800">
                  {t('imports.failedBecause', { reason: inWords(current.failureCode) })}
                </p>
              )}
            </Card>
            <h2 className="mb-3 text-lg font-semibold text-slate-900">{t('imports.rejectedTitle')}</h2>
            {!finished ? (
              <PageState kind="loading" />
            ) : rejections.isError ? (
              <PageState kind="error" error={rejections.error} onRetry={() => void rejections.refetch()} />
            ) : rejections.data === undefined ? (
              <PageState kind="loading" />
            ) : rejections.data.pages[0]!.items.length === 0 ? (
              <PageState kind="empty" message={t('imports.noRejections')} />
            ) : (
              <>
                <Table caption={t('imports.rejectedTitle')} head={[t('imports.row'), t('imports.reason'), t('imports.column')]}>
                  {rejections.data.pages
                    .flatMap((page) => page.items)
                    .map((rejection) => (
                      <tr key={rejection.row}>
                        <td className={CELL}>{rejection.row}</td>
                        <td className={CELL}>{inWords(rejection.code)}</td>
                        <td className={`${CELL} font-mono`}>{rejection.field ?? ''}</td>
                      </tr>
                    ))}
                </Table>
                {rejections.hasNextPage && (
                  <Button variant="secondary" className="mt-3" busy={rejections.isFetchingNextPage} onClick={() => void rejections.fetchNextPage()}>
                    {t('imports.moreRejections')}
                  </Button>
                )}
              </>
            )}
          </>
        )}
      </QueryView>
    </>
  );
}
