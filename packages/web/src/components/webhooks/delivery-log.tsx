import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../api/api-error.ts';
import { CELL, Table } from '../card.tsx';
import { DateTime } from '../formatted.tsx';
import { QueryView } from '../page-state.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTenantApi, useTenantKey } from '../../session/organization.tsx';
import { webhooksApi, type WebhookEndpoint } from './webhooks-api.ts';

/** An endpoint's attempts, newest first: outcome, HTTP status, duration and error, in words. */
export function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t, errorMessage } = useI18n();
  const api = webhooksApi(useTenantApi());
  const key = useTenantKey();
  const deliveries = useQuery({ queryKey: key('webhooks', endpoint.id, 'deliveries'), queryFn: () => api.deliveries(endpoint.id), refetchInterval: 5_000 });
  return (
    <section aria-label={t('webhooks.logTitle', { url: endpoint.url })} className="mt-3">
      <QueryView query={deliveries} isEmpty={(page) => page.items.length === 0} empty={t('webhooks.logEmpty')}>
        {(page) => (
          <Table
            caption={t('webhooks.logTitle', { url: endpoint.url })}
            head={[t('webhooks.log.time'), t('webhooks.log.event'), t('webhooks.log.attempt'), t('webhooks.log.outcome'), t('webhooks.log.status'), t('webhooks.log.duration'), t('webhooks.log.error')]}
          >
            {page.items.map((delivery) => (
              <tr key={delivery.id}>
                <td className={CELL}>
                  <DateTime iso={delivery.createdAt} />
                </td>
                <td className={CELL}>
                  <span className="block">{delivery.eventType}</span>
                  <span className="font-mono text-xs text-slate-600">{delivery.eventId}</span>
                </td>
                <td className={`${CELL} tabular-nums`}>{delivery.attempt}</td>
                <td className={CELL}>
                  <span className={delivery.outcome === 'delivered' ? 'font-medium text-emerald-800' : 'font-medium text-red-800'}>
                    {t(delivery.outcome === 'delivered' ? 'webhooks.log.delivered' : 'webhooks.log.failed')}
                  </span>
                </td>
                <td className={`${CELL} tabular-nums`}>{delivery.statusCode ?? t('webhooks.log.noAnswer')}</td>
                <td className={`${CELL} tabular-nums`}>{t('webhooks.log.ms', { ms: delivery.durationMs })}</td>
                <td className={CELL}>{delivery.errorCode === null ? '—' : errorMessage(new ApiError({ status: 502, code: delivery.errorCode }))}</td>
              </tr>
            ))}
          </Table>
        )}
      </QueryView>
    </section>
  );
}
