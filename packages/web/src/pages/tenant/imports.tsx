import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId, useState, type DragEvent } from 'react';
import { LINK_CLASSES } from '../../components/button.tsx';
import { Card, CELL, FormError, Table } from '../../components/card.tsx';
import { SelectField } from '../../components/field.tsx';
import { DateTime } from '../../components/formatted.tsx';
import { ImportStateBadge, ProgressBar } from '../../components/imports/import-parts.tsx';
import { IMPORT_KINDS, csvContentType, importsApi, isRunning, uploadFile, type ImportKind } from '../../components/imports/imports-api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryView } from '../../components/page-state.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useLiveImports } from '../../live/use-live.ts';
import { useOrganization, useTenantApi, useTenantKey } from '../../session/organization.tsx';

/** How often the list is read again while an import runs and the live connection is down. */
const POLL_MS = 1_000;

/**
 * CSV imports (admins and owners): drop or choose a file, watch its upload, then its import —
 * queued, processing with its progress, done or failed — and open the report of rejected rows.
 */
export function ImportsPage() {
  const { t, errorMessage } = useI18n();
  const { slug } = useOrganization();
  const tenantApi = useTenantApi();
  const api = importsApi(tenantApi);
  const key = useTenantKey();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<ImportKind>('products-csv');
  const [uploading, setUploading] = useState<{ fileName: string; percent: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Each import event reads the list again (WEB-092); polling only stands in while the connection is down.
  const live = useLiveImports(key('imports'));
  const imports = useQuery({
    queryKey: key('imports'),
    queryFn: api.list,
    refetchInterval: (query) => (!live && query.state.data?.items.some(isRunning) ? POLL_MS : false),
  });
  const start = useMutation({
    mutationFn: async (file: File) => {
      setNotice(null);
      setUploading({ fileName: file.name, percent: 0 });
      const requested = await api.request({ kind, fileName: file.name, size: file.size, contentType: csvContentType(file) });
      await uploadFile(requested.upload, file, await tenantApi.token(), (percent) => setUploading({ fileName: file.name, percent }));
      return api.uploaded(requested.import.id);
    },
    onSuccess: async (created) => {
      setNotice(t('imports.uploaded', { fileName: created.fileName }));
      await queryClient.invalidateQueries({ queryKey: key('imports') });
    },
    onSettled: () => setUploading(null),
  });

  return (
    <>
      <PageHeader title={t('imports.title')} description={t('imports.description')} />
      <Card className="mb-6 space-y-4">
        <div className="max-w-xs">
          <SelectField label={t('imports.kind')} name="import-kind" value={kind} onChange={(event) => setKind(event.target.value as ImportKind)}>
            {IMPORT_KINDS.map((value) => (
              <option key={value} value={value}>
                {t(`imports.kind.${value}`)}
              </option>
            ))}
          </SelectField>
          <p className="mt-1 text-xs text-slate-600">{t(`imports.columns.${kind}`)}</p>
        </div>
        <DropZone disabled={start.isPending} onFile={(file) => start.mutate(file)} />
        {uploading !== null && (
          <div className="space-y-1">
            <p className="text-sm text-slate-700">{t('imports.uploading', { fileName: uploading.fileName })}</p>
            <ProgressBar percent={uploading.percent} label={t('imports.uploadProgress', { fileName: uploading.fileName })} />
          </div>
        )}
        <p role="status" className="min-h-5 text-sm text-slate-800">
          {notice ?? ''}
        </p>
        <FormError message={start.isError ? errorMessage(start.error) : null} />
      </Card>
      <h2 className="mb-3 text-lg font-semibold text-slate-900">{t('imports.recent')}</h2>
      <QueryView query={imports} isEmpty={(page) => page.items.length === 0} empty={t('imports.empty')}>
        {(page) => (
          <Table caption={t('imports.recent')} head={[t('imports.file'), t('imports.kind'), t('imports.state'), t('imports.progress'), t('imports.rows'), t('imports.started'), t('imports.report')]}>
            {page.items.map((item) => (
              <tr key={item.id} data-import-id={item.id}>
                <td className={`${CELL} font-medium`}>{item.fileName}</td>
                <td className={CELL}>{t(`imports.kind.${item.kind}`)}</td>
                <td className={CELL}>
                  <ImportStateBadge state={item.state} />
                </td>
                <td className={CELL}>
                  <ProgressBar percent={item.progress} label={t('imports.uploadProgress', { fileName: item.fileName })} />
                </td>
                <td className={CELL}>{t('imports.rowsSummary', { imported: item.rowsImported, rejected: item.rowsRejected })}</td>
                <td className={CELL}>
                  <DateTime iso={item.createdAt} />
                </td>
                <td className={CELL}>
                  <Link to="/t/$slug/imports/$importId" params={{ slug, importId: item.id }} className={LINK_CLASSES}>
                    {t('imports.report')}
                  </Link>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </QueryView>
    </>
  );
}

/** A drop target around a file input: dropping a file and choosing one do the same. */
function DropZone({ disabled, onFile }: { disabled: boolean; onFile: (file: File) => void }) {
  const { t } = useI18n();
  const inputId = useId();
  const [over, setOver] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file !== undefined && !disabled) onFile(file);
  };
  return (
    <div
      data-testid="import-drop-zone"
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      className={`rounded-lg border-2 border-dashed px-6 py-8 text-center ${over ? 'border-indigo-600 bg-indigo-50' : 'border-slate-300 bg-white'}`}
    >
      <p className="text-sm text-slate-700">{over ? t('imports.dropActive') : t('imports.drop')}</p>
      <p className="my-2 text-xs text-slate-600">{t('imports.or')}</p>
      <label htmlFor={inputId} className={`${LINK_CLASSES} cursor-pointer text-sm`}>
        {t('imports.choose')}
      </label>
      <input
        id={inputId}
        type="file"
        accept=".csv,text/csv"
        className="sr-only"
        disabled={disabled}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file !== undefined) onFile(file);
        }}
      />
    </div>
  );
}
