import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../api/api-error.ts';
import { Button } from '../../components/button.tsx';
import { CELL, FormError, Table } from '../../components/card.tsx';
import { SelectField } from '../../components/field.tsx';
import { DateTime } from '../../components/formatted.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryView } from '../../components/page-state.tsx';
import { ConfirmDialog } from '../../components/team/confirm-dialog.tsx';
import { webhooksApi, type DeadLetter } from '../../components/webhooks/webhooks-api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTenantApi, useTenantKey } from '../../session/organization.tsx';

const STATUSES = ['open', 'replayed', 'discarded'] as const;

/**
 * The organization's dead letters (admins and owners; anyone else is told FORBIDDEN_ROLE in words):
 * each with its task, event, attempts and last error in words; inspect its payload, replay it once
 * its cause is fixed, or discard it (confirmed).
 */
export function DeadLettersPage() {
  const { t, errorMessage } = useI18n();
  const api = webhooksApi(useTenantApi());
  const key = useTenantKey();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<DeadLetter['status']>('open');
  const [inspected, setInspected] = useState<string | null>(null);
  const [discarding, setDiscarding] = useState<DeadLetter | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const deadLetters = useQuery({ queryKey: key('dead-letters', status), queryFn: () => api.deadLetters(status) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key('dead-letters') });
  const replay = useMutation({
    mutationFn: (deadLetter: DeadLetter) => api.replay(deadLetter.id),
    onSuccess: async () => {
      setNotice(t('deadLetters.replayed'));
      await refresh();
    },
  });
  const discard = useMutation({
    mutationFn: (deadLetter: DeadLetter) => api.discard(deadLetter.id),
    onSuccess: async () => {
      setDiscarding(null);
      await refresh();
    },
  });
  const codeInWords = (code: string) => errorMessage(new ApiError({ status: 500, code }));

  return (
    <>
      <PageHeader title={t('deadLetters.title')} description={t('deadLetters.description')} />
      <div className="mb-4 max-w-xs">
        <SelectField label={t('deadLetters.filter')} name="dead-letter-status" value={status} onChange={(event) => setStatus(event.target.value as DeadLetter['status'])}>
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {t(`deadLetters.status.${value}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <p role="status" className="mb-2 min-h-5 text-sm text-slate-800">
        {notice ?? ''}
      </p>
      <FormError message={replay.isError ? errorMessage(replay.error) : null} />
      <QueryView query={deadLetters} isEmpty={(page) => page.items.length === 0} empty={t('deadLetters.empty')}>
        {(page) => (
          <Table
            caption={t('deadLetters.title')}
            head={[t('deadLetters.consumer'), t('deadLetters.type'), t('deadLetters.attempts'), t('deadLetters.lastError'), t('deadLetters.lastErrorAt'), t('team.actions')]}
          >
            {page.items.map((deadLetter) => (
              <DeadLetterRow
                key={deadLetter.id}
                deadLetter={deadLetter}
                lastError={codeInWords(deadLetter.lastErrorCode)}
                inspected={inspected === deadLetter.id}
                onInspect={() => setInspected(inspected === deadLetter.id ? null : deadLetter.id)}
                replaying={replay.isPending && replay.variables.id === deadLetter.id}
                onReplay={() => {
                  setNotice(null);
                  replay.mutate(deadLetter);
                }}
                onDiscard={() => {
                  discard.reset();
                  setDiscarding(deadLetter);
                }}
              />
            ))}
          </Table>
        )}
      </QueryView>
      {discarding !== null && (
        <ConfirmDialog
          title={t('deadLetters.discardTitle')}
          message={t('deadLetters.discardMessage')}
          confirmLabel={t('deadLetters.discard')}
          busyLabel={t('deadLetters.discarding')}
          busy={discard.isPending}
          error={discard.isError ? errorMessage(discard.error) : null}
          onConfirm={() => discard.mutate(discarding)}
          onCancel={() => setDiscarding(null)}
        />
      )}
    </>
  );
}

interface RowProps {
  deadLetter: DeadLetter;
  lastError: string;
  inspected: boolean;
  replaying: boolean;
  onInspect(): void;
  onReplay(): void;
  onDiscard(): void;
}

function DeadLetterRow({ deadLetter, lastError, inspected, replaying, onInspect, onReplay, onDiscard }: RowProps) {
  const { t } = useI18n();
  return (
    <>
      <tr>
        <td className={`${CELL} font-mono text-xs`}>{deadLetter.consumer}</td>
        <td className={CELL}>{deadLetter.type}</td>
        <td className={`${CELL} tabular-nums`}>{deadLetter.attempts}</td>
        <td className={CELL}>{lastError}</td>
        <td className={CELL}>
          <DateTime iso={deadLetter.lastErrorAt} />
        </td>
        <td className={`${CELL} space-x-2 whitespace-nowrap`}>
          <Button variant="secondary" className="py-1" aria-expanded={inspected} onClick={onInspect}>
            {t(inspected ? 'deadLetters.hide' : 'deadLetters.inspect')}
          </Button>
          {deadLetter.status === 'open' && (
            <>
              <Button variant="secondary" className="py-1" busy={replaying} busyLabel={t('deadLetters.replaying')} onClick={onReplay}>
                {t('deadLetters.replay')}
              </Button>
              <Button variant="secondary" className="py-1 text-red-800!" onClick={onDiscard}>
                {t('deadLetters.discard')}
              </Button>
            </>
          )}
        </td>
      </tr>
      {inspected && (
        <tr>
          <td colSpan={6} className="bg-slate-50 px-4 pb-4">
            <DeadLetterPayload id={deadLetter.id} />
          </td>
        </tr>
      )}
    </>
  );
}

function DeadLetterPayload({ id }: { id: string }) {
  const { t } = useI18n();
  const api = webhooksApi(useTenantApi());
  const key = useTenantKey();
  const detail = useQuery({ queryKey: key('dead-letters', 'detail', id), queryFn: () => api.deadLetter(id) });
  return (
    <QueryView query={detail}>
      {(deadLetter) => (
        <section aria-label={t('deadLetters.detailTitle', { eventId: deadLetter.eventId })} className="mt-3 space-y-2 text-sm">
          <h3 className="font-semibold text-slate-900">{t('deadLetters.detailTitle', { eventId: deadLetter.eventId })}</h3>
          <p className="text-slate-700">
            {t('deadLetters.occurredAt')}: <DateTime iso={deadLetter.occurredAt} />
          </p>
          <h4 className="font-medium text-slate-900">{t('deadLetters.payload')}</h4>
          <pre className="max-h-80 overflow-auto rounded-md bg-white p-3 font-mono text-xs text-slate-800 ring-1 ring-slate-200">{JSON.stringify(deadLetter.payload, null, 2)}</pre>
        </section>
      )}
    </QueryView>
  );
}
