import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { keel } from '../../api/keel.ts';
import type { AuditEntry } from '../../api/types.ts';
import { Button } from '../../components/button.tsx';
import { CELL, FormError, Table } from '../../components/card.tsx';
import { DateTime } from '../../components/formatted.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { PageState } from '../../components/page-state.tsx';
import { actionWords, detailsWords } from '../../components/team/audit-words.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrganization, useRoleAtLeast, useTenantKey } from '../../session/organization.tsx';

/** Entries per page ("Load more" asks for the next). */
const PAGE_SIZE = 50;

/**
 * The organization's audit log (owners; anyone else gets Keel's FORBIDDEN_ROLE in words): newest
 * first, each action in words, who did it, a summary of what changed, and when — in the
 * organization's time zone.
 */
export function AuditPage() {
  const i18n = useI18n();
  const { t, errorMessage } = i18n;
  const organization = useOrganization();
  const key = useTenantKey();
  const isOwner = useRoleAtLeast('owner');
  const audit = useInfiniteQuery({
    queryKey: key('audit'),
    queryFn: ({ pageParam }) => keel.central.audit(organization.id, { limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  // Names for the people and keys the entries mention (owners may read both lists).
  const members = useQuery({ queryKey: key('members'), queryFn: () => keel.central.members(organization.id), enabled: isOwner });
  const apiKeys = useQuery({ queryKey: key('api-keys'), queryFn: () => keel.central.apiKeys(organization.id), enabled: isOwner });
  const personName = (userId: string) => members.data?.items.find((member) => member.userId === userId)?.name;

  const actor = (entry: AuditEntry) => {
    if (entry.actor === null) return t('audit.system');
    if ('apiKeyId' in entry.actor) {
      const { apiKeyId } = entry.actor;
      const name = apiKeys.data?.items.find((apiKey) => apiKey.id === apiKeyId)?.name;
      return name === undefined ? t('audit.apiKey') : t('audit.apiKeyNamed', { name });
    }
    if (entry.actor.email === null) return t('audit.deletedUser');
    return entry.actor.name !== null && entry.actor.name !== '' ? `${entry.actor.name} (${entry.actor.email})` : entry.actor.email;
  };

  const header = <PageHeader title={t('audit.title')} description={t('audit.description', { timezone: organization.timezone })} />;
  const entries = audit.data?.pages.flatMap((page) => page.items) ?? [];
  let state = null;
  if (audit.isPending) state = <PageState kind="loading" />;
  else if (audit.isError && !audit.isFetchNextPageError) state = <PageState kind="error" error={audit.error} onRetry={() => void audit.refetch()} />;
  else if (entries.length === 0) state = <PageState kind="empty" message={t('audit.empty')} />;
  if (state !== null) {
    return (
      <>
        {header}
        {state}
      </>
    );
  }
  const context = { timeZone: organization.timezone, personName };
  return (
    <>
      {header}
      <Table caption={t('audit.title')} head={[t('audit.when'), t('audit.action'), t('audit.actor'), t('audit.summary')]}>
        {entries.map((entry) => (
          <tr key={entry.id}>
            <td className={`${CELL} whitespace-nowrap`}>
              <DateTime iso={entry.occurredAt} />
            </td>
            <td className={`${CELL} font-medium text-slate-900`}>{actionWords(i18n, entry.action)}</td>
            <td className={CELL}>{actor(entry)}</td>
            <td className={`${CELL} text-slate-700`}>{detailsWords(i18n, entry, context)}</td>
          </tr>
        ))}
      </Table>
      <div className="mt-4 flex flex-col items-center gap-2">
        <FormError message={audit.isFetchNextPageError ? errorMessage(audit.error) : null} />
        {audit.hasNextPage ? (
          <Button variant="secondary" onClick={() => void audit.fetchNextPage()} busy={audit.isFetchingNextPage} busyLabel={t('state.loading')}>
            {t('audit.loadMore')}
          </Button>
        ) : (
          <p className="text-sm text-slate-600">{t('audit.end')}</p>
        )}
      </div>
    </>
  );
}
