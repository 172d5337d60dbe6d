import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/api-error.ts';
import { Button } from '../../components/button.tsx';
import { Card, CELL, FormError, Table } from '../../components/card.tsx';
import { TextField } from '../../components/field.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryView } from '../../components/page-state.tsx';
import { ConfirmDialog } from '../../components/team/confirm-dialog.tsx';
import { DeliveryLog } from '../../components/webhooks/delivery-log.tsx';
import { ShownOnceSecret } from '../../components/webhooks/shown-once-secret.tsx';
import { WEBHOOK_EVENT_TYPES, webhooksApi, type WebhookEndpoint, type WebhookEndpointWithSecret } from '../../components/webhooks/webhooks-api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/messages.en.ts';
import { useRoleAtLeast, useTenantApi, useTenantKey } from '../../session/organization.tsx';

type Pending = { kind: 'delete' | 'rotate'; endpoint: WebhookEndpoint };

/**
 * Webhook endpoints (admins and owners; anyone else is told FORBIDDEN_ROLE in words): register one
 * and see its secret once, disable or enable, rotate the secret, delete, and read each delivery log.
 */
export function WebhooksPage() {
  const { t, errorMessage } = useI18n();
  const api = webhooksApi(useTenantApi());
  const key = useTenantKey();
  const queryClient = useQueryClient();
  const isAdmin = useRoleAtLeast('admin');
  const endpoints = useQuery({ queryKey: key('webhooks'), queryFn: api.endpoints });
  const [secret, setSecret] = useState<WebhookEndpointWithSecret | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: key('webhooks') });

  const toggle = useMutation({
    mutationFn: (endpoint: WebhookEndpoint) => api.change(endpoint, { status: endpoint.status === 'active' ? 'disabled' : 'active' }),
    onSettled: refresh,
  });
  const confirm = useMutation({
    mutationFn: async ({ kind, endpoint }: Pending) => (kind === 'delete' ? (await api.remove(endpoint), null) : api.rotateSecret(endpoint)),
    onSuccess: async (rotated) => {
      setPending(null);
      if (rotated) setSecret(rotated);
      await refresh();
    },
  });

  return (
    <>
      <PageHeader title={t('webhooks.title')} description={t('webhooks.description')} />
      {isAdmin &&
        (secret !== null ? (
          <ShownOnceSecret endpoint={secret} onDone={() => setSecret(null)} />
        ) : (
          <RegisterEndpointForm
            onRegistered={async (endpoint) => {
              setSecret(endpoint);
              await refresh();
            }}
          />
        ))}
      <FormError message={toggle.isError ? errorMessage(toggle.error) : null} />
      <QueryView query={endpoints} isEmpty={(page) => page.items.length === 0} empty={t('webhooks.empty')}>
        {(page) => (
          <Table caption={t('webhooks.title')} head={[t('webhooks.url'), t('webhooks.events'), t('webhooks.status'), t('team.actions')]}>
            {page.items.map((endpoint) => (
              <EndpointRow
                key={endpoint.id}
                endpoint={endpoint}
                logOpen={open === endpoint.id}
                onToggleLog={() => setOpen(open === endpoint.id ? null : endpoint.id)}
                onToggleStatus={() => toggle.mutate(endpoint)}
                onAsk={(kind) => {
                  confirm.reset();
                  setPending({ kind, endpoint });
                }}
              />
            ))}
          </Table>
        )}
      </QueryView>
      {pending !== null && (
        <ConfirmDialog
          title={t(pending.kind === 'delete' ? 'webhooks.deleteTitle' : 'webhooks.rotateTitle', { url: pending.endpoint.url })}
          message={pending.kind === 'delete' ? t('webhooks.deleteMessage', { url: pending.endpoint.url }) : t('webhooks.rotateMessage')}
          confirmLabel={t(pending.kind === 'delete' ? 'webhooks.delete' : 'webhooks.rotate')}
          busyLabel={t(pending.kind === 'delete' ? 'webhooks.deleting' : 'webhooks.rotating')}
          variant={pending.kind === 'delete' ? 'danger' : 'primary'}
          busy={confirm.isPending}
          error={confirm.isError ? errorMessage(confirm.error) : null}
          onConfirm={() => confirm.mutate(pending)}
          onCancel={() => setPending(null)}
        />
      )}
    </>
  );
}

function EndpointRow(props: { endpoint: WebhookEndpoint; logOpen: boolean; onToggleLog(): void; onToggleStatus(): void; onAsk(kind: Pending['kind']): void }) {
  const { t } = useI18n();
  const { endpoint } = props;
  const active = endpoint.status === 'active';
  return (
    <>
      <tr>
        <td className={`${CELL} font-mono text-xs break-all text-slate-900`}>
          {endpoint.url}
          {endpoint.description !== '' && <span className="mt-1 block font-sans text-sm text-slate-600">{endpoint.description}</span>}
        </td>
        <td className={CELL}>{endpoint.eventTypes.map((type) => t(eventLabel(type))).join(', ')}</td>
        <td className={CELL}>
          <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${active ? 'bg-emerald-100 text-emerald-900' : 'bg-slate-200 text-slate-800'}`}>
            {t(active ? 'webhooks.active' : 'webhooks.disabled')}
          </span>
        </td>
        <td className={`${CELL} space-x-2 whitespace-nowrap`}>
          <Button variant="secondary" className="py-1" aria-expanded={props.logOpen} onClick={props.onToggleLog}>
            {t(props.logOpen ? 'webhooks.hideLog' : 'webhooks.showLog')}
          </Button>
          <Button variant="secondary" className="py-1" onClick={props.onToggleStatus}>
            {t(active ? 'webhooks.disable' : 'webhooks.enable')}
          </Button>
          <Button variant="secondary" className="py-1" onClick={() => props.onAsk('rotate')}>
            {t('webhooks.rotate')}
          </Button>
          <Button variant="secondary" className="py-1 text-red-800!" onClick={() => props.onAsk('delete')}>
            {t('webhooks.delete')}
          </Button>
        </td>
      </tr>
      {props.logOpen && (
        <tr>
          <td colSpan={4} className="bg-slate-50 px-4 pb-4">
            <DeliveryLog endpoint={endpoint} />
          </td>
        </tr>
      )}
    </>
  );
}

function eventLabel(type: string): MessageKey {
  return `webhooks.event.${type}` as MessageKey;
}

function RegisterEndpointForm({ onRegistered }: { onRegistered(endpoint: WebhookEndpointWithSecret): Promise<void> }) {
  const { t, errorMessage } = useI18n();
  const api = webhooksApi(useTenantApi());
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [eventTypes, setEventTypes] = useState<string[]>([...WEBHOOK_EVENT_TYPES]);
  const register = useMutation({ mutationFn: () => api.register({ url, eventTypes, description }), onSuccess: onRegistered });

  function submit(event: FormEvent) {
    event.preventDefault();
    register.mutate();
  }

  const invalid = (path: string) => register.error instanceof ApiError && register.error.details.some((detail) => detail.path === path || detail.path.startsWith(`${path}.`));
  const urlRefused = register.error instanceof ApiError && ['WEBHOOK_HTTPS_REQUIRED', 'WEBHOOK_TARGET_FORBIDDEN'].includes(register.error.code);
  const urlError = invalid('body.url') ? t('webhooks.urlInvalid') : urlRefused ? errorMessage(register.error) : undefined;
  const eventsError = invalid('body.eventTypes') ? t('webhooks.eventsRequired') : undefined;
  const otherError = register.isError && urlError === undefined && eventsError === undefined ? errorMessage(register.error) : null;
  return (
    <Card className="mb-8">
      <h2 className="text-lg font-semibold text-slate-900">{t('webhooks.registerTitle')}</h2>
      <form onSubmit={submit} className="mt-4 grid gap-4 sm:grid-cols-2" noValidate>
        <TextField label={t('webhooks.url')} name="webhook-url" type="url" required placeholder="https://" hint={t('webhooks.urlHint')} error={urlError} value={url} onChange={(event) => setUrl(event.target.value)} />
        <TextField label={t('webhooks.descriptionField')} name="webhook-description" maxLength={200} value={description} onChange={(event) => setDescription(event.target.value)} />
        <fieldset className="sm:col-span-2" aria-describedby={eventsError === undefined ? undefined : 'webhook-events-error'}>
          <legend className="text-sm font-medium text-slate-900">{t('webhooks.events')}</legend>
          <div className="mt-2 flex flex-wrap gap-4">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} className="flex items-center gap-2 text-sm text-slate-800">
                <input
                  type="checkbox"
                  className="size-4 rounded border-slate-400"
                  checked={eventTypes.includes(type)}
                  onChange={(event) => setEventTypes(event.target.checked ? [...eventTypes, type] : eventTypes.filter((other) => other !== type))}
                />
                {t(eventLabel(type))}
              </label>
            ))}
          </div>
          {eventsError !== undefined && (
            <p id="webhook-events-error" role="alert" className="mt-1 text-sm text-red-700">
              {eventsError}
            </p>
          )}
        </fieldset>
        <div className="sm:col-span-2">
          <Button type="submit" busy={register.isPending} busyLabel={t('webhooks.registering')}>
            {t('webhooks.register')}
          </Button>
        </div>
      </form>
      <div className="mt-3">
        <FormError message={otherError} />
      </div>
    </Card>
  );
}
