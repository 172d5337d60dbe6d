import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/api-error.ts';
import { keel } from '../../api/keel.ts';
import type { ApiKey } from '../../api/types.ts';
import { Button } from '../../components/button.tsx';
import { Card, CELL, FormError, Table } from '../../components/card.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { DateTime } from '../../components/formatted.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryView } from '../../components/page-state.tsx';
import { ConfirmDialog } from '../../components/team/confirm-dialog.tsx';
import { CreatedApiKeyPanel } from '../../components/team/created-api-key.tsx';
import { RoleBadge } from '../../components/team/members-table.tsx';
import { teamApi, type CreatedApiKey } from '../../components/team/team-api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrganization, useRoleAtLeast, useTenantKey } from '../../session/organization.tsx';

/**
 * The organization's API keys (admins and owners; anyone else gets Keel's FORBIDDEN_ROLE in words).
 * A new key is shown once, right after it is created; the list shows only each key's prefix.
 */
export function ApiKeysPage() {
  const { t, errorMessage } = useI18n();
  const organization = useOrganization();
  const key = useTenantKey();
  const queryClient = useQueryClient();
  const isAdmin = useRoleAtLeast('admin');
  const apiKeys = useQuery({ queryKey: key('api-keys'), queryFn: () => keel.central.apiKeys(organization.id) });
  // Who created each key, by name (the list gives the user id).
  const members = useQuery({ queryKey: key('members'), queryFn: () => keel.central.members(organization.id), enabled: isAdmin });
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const revoke = useMutation({
    mutationFn: (apiKey: ApiKey) => teamApi.revokeApiKey(organization.id, apiKey.id),
    onSuccess: async () => {
      setRevoking(null);
      await queryClient.invalidateQueries({ queryKey: key('api-keys') });
    },
  });

  const creator = (apiKey: ApiKey) => {
    if (apiKey.createdBy === null) return t('audit.deletedUser');
    return members.data?.items.find((member) => member.userId === apiKey.createdBy)?.name ?? t('apiKeys.formerMember');
  };

  return (
    <>
      <PageHeader title={t('apiKeys.title')} description={t('apiKeys.description')} />
      {isAdmin &&
        (created !== null ? (
          <CreatedApiKeyPanel created={created} onDone={() => setCreated(null)} />
        ) : (
          <CreateApiKeyForm
            onCreated={async (apiKey) => {
              setCreated(apiKey);
              await queryClient.invalidateQueries({ queryKey: key('api-keys') });
            }}
          />
        ))}
      <QueryView query={apiKeys} isEmpty={(list) => list.items.length === 0} empty={t('apiKeys.empty')}>
        {(list) => (
          <Table
            caption={t('apiKeys.title')}
            head={[t('field.name'), t('apiKeys.prefix'), t('members.role'), t('apiKeys.createdBy'), t('apiKeys.createdAt'), t('apiKeys.lastUsedAt'), t('apiKeys.state'), t('team.actions')]}
          >
            {list.items.map((apiKey) => (
              <tr key={apiKey.id}>
                <td className={`${CELL} font-medium text-slate-900`}>{apiKey.name}</td>
                <td className={`${CELL} font-mono text-xs`}>{apiKey.prefix}…</td>
                <td className={CELL}>
                  <RoleBadge role={apiKey.role} />
                </td>
                <td className={CELL}>{creator(apiKey)}</td>
                <td className={CELL}>
                  <DateTime iso={apiKey.createdAt} style="date" />
                </td>
                <td className={CELL}>{apiKey.lastUsedAt === null ? t('apiKeys.never') : <DateTime iso={apiKey.lastUsedAt} />}</td>
                <td className={CELL}>
                  {apiKey.revokedAt === null ? (
                    <span className="inline-flex rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-900">{t('apiKeys.active')}</span>
                  ) : (
                    <span className="text-slate-700">
                      {t('apiKeys.revoked')} <DateTime iso={apiKey.revokedAt} style="date" />
                    </span>
                  )}
                </td>
                <td className={CELL}>
                  {apiKey.revokedAt === null && (
                    <Button
                      variant="secondary"
                      className="py-1 text-red-800!"
                      aria-label={t('apiKeys.revokeName', { name: apiKey.name })}
                      onClick={() => {
                        revoke.reset();
                        setRevoking(apiKey);
                      }}
                    >
                      {t('apiKeys.revoke')}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </QueryView>
      {revoking !== null && (
        <ConfirmDialog
          title={t('apiKeys.revokeTitle', { name: revoking.name })}
          message={t('apiKeys.revokeMessage', { name: revoking.name })}
          confirmLabel={t('apiKeys.revokeConfirm')}
          busyLabel={t('team.revoking')}
          busy={revoke.isPending}
          error={revoke.isError ? errorMessage(revoke.error) : null}
          onConfirm={() => revoke.mutate(revoking)}
          onCancel={() => setRevoking(null)}
        />
      )}
    </>
  );
}

/** A new key: a name people recognise, and the role it acts with (never owner). */
function CreateApiKeyForm({ onCreated }: { onCreated(created: CreatedApiKey): Promise<void> }) {
  const { t, errorMessage } = useI18n();
  const organization = useOrganization();
  const [name, setName] = useState('');
  const [role, setRole] = useState<'member' | 'admin'>('member');
  const create = useMutation({ mutationFn: () => teamApi.createApiKey(organization.id, { name, role }), onSuccess: onCreated });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  const nameInvalid = create.error instanceof ApiError && create.error.details.some((detail) => detail.path === 'body.name');
  return (
    <Card className="mb-8">
      <h2 className="text-lg font-semibold text-slate-900">{t('apiKeys.create.title')}</h2>
      <form onSubmit={submit} className="mt-4 grid items-start gap-4 sm:grid-cols-[1fr_12rem_auto]" noValidate>
        <TextField
          label={t('field.name')}
          name="api-key-name"
          required
          maxLength={100}
          hint={t('apiKeys.create.nameHint')}
          error={nameInvalid ? t('apiKeys.create.nameInvalid') : undefined}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <SelectField label={t('members.role')} name="api-key-role" hint={t('apiKeys.create.roleHint')} value={role} onChange={(event) => setRole(event.target.value as 'member' | 'admin')}>
          <option value="member">{t('role.member')}</option>
          <option value="admin">{t('role.admin')}</option>
        </SelectField>
        <Button type="submit" className="sm:mt-6" busy={create.isPending} busyLabel={t('apiKeys.create.busy')}>
          {t('apiKeys.create.submit')}
        </Button>
      </form>
      <div className="mt-3">
        <FormError message={create.isError && !nameInvalid ? errorMessage(create.error) : null} />
      </div>
    </Card>
  );
}
