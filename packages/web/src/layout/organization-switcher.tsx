import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useId } from 'react';
import { FOCUS_RING } from '../components/button.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { organizationsQuery } from '../session/queries.ts';

/** The organization of the URL (`/t/:slug/…`); choosing another opens its stores. */
export function OrganizationSwitcher() {
  const { t } = useI18n();
  const id = useId();
  const navigate = useNavigate();
  const { slug } = useParams({ strict: false });
  const organizations = useQuery(organizationsQuery);
  if (!organizations.data || organizations.data.length === 0) return null;
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="sr-only">
        {t('header.organization')}
      </label>
      <select
        id={id}
        value={slug ?? ''}
        onChange={(event) => void navigate({ to: '/t/$slug/stores', params: { slug: event.target.value } })}
        className={`max-w-56 rounded-md border border-slate-600 bg-slate-800 px-2 py-1.5 text-sm font-medium text-white ${FOCUS_RING} focus-visible:outline-white`}
      >
        {slug === undefined && (
          <option value="" disabled>
            {t('header.chooseOrganization')}
          </option>
        )}
        {organizations.data.map((organization) => (
          <option key={organization.id} value={organization.slug}>
            {organization.name}
          </option>
        ))}
      </select>
    </div>
  );
}
