import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error.ts';
import { keel } from '../api/keel.ts';
import { Button } from '../components/button.tsx';
import { Card, FormError } from '../components/card.tsx';
import { SelectField, TextField } from '../components/field.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { PlainMain } from '../layout/layouts.tsx';
import { organizationsQuery } from '../session/queries.ts';

/** The slug Keel accepts: lower-case letters, digits and inner hyphens, at most 63 characters. */
export function slugFrom(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const COMMON_CURRENCIES = ['USD', 'EUR', 'GBP', 'MXN', 'ARS', 'COP', 'CLP', 'BRL', 'CAD', 'AUD', 'JPY', 'CHF'];

/** A new organization (a tenant) with the signed-in account as its owner; its home region is the server's. */
export function CreateOrganizationPage() {
  const { t, errorMessage } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const organizations = useQuery(organizationsQuery);
  const regions = useQuery({ queryKey: ['regions'], queryFn: () => keel.central.regions() });
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [currency, setCurrency] = useState('USD');
  const [timezone, setTimezone] = useState(browserTimeZone);
  const currencies = useMemo(() => [...new Set([...COMMON_CURRENCIES, ...Intl.supportedValuesOf('currency')])], []);
  // The browser's own zone is offered even when the runtime's list lacks it (e.g. "UTC").
  const timeZones = useMemo(() => [...new Set([browserTimeZone(), ...Intl.supportedValuesOf('timeZone')])].sort(), []);

  const create = useMutation({
    mutationFn: () => keel.central.createOrganization({ name, slug, currency, timezone }),
    onSuccess: async (organization) => {
      await queryClient.invalidateQueries({ queryKey: organizationsQuery.queryKey });
      await navigate({ to: '/t/$slug/stores', params: { slug: organization.slug } });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  const invalid = (field: string) => (create.error instanceof ApiError && create.error.details.some((detail) => detail.path === `body.${field}`) ? t('field.invalid') : undefined);
  const first = organizations.data?.length === 0;
  return (
    <PlainMain>
      <PageHeader title={first ? t('createOrganization.firstTitle') : t('createOrganization.title')} description={t('createOrganization.description')} />
      <Card>
        <form onSubmit={submit} className="space-y-4" noValidate>
          <TextField
            label={t('field.organizationName')}
            name="name"
            required
            maxLength={100}
            value={name}
            error={invalid('name')}
            onChange={(event) => {
              setName(event.target.value);
              if (!slugEdited) setSlug(slugFrom(event.target.value));
            }}
          />
          <TextField
            label={t('field.slug')}
            name="slug"
            required
            maxLength={63}
            hint={t('field.slugHint', { slug: slug || 'acme' })}
            error={invalid('slug')}
            value={slug}
            onChange={(event) => {
              setSlugEdited(true);
              setSlug(event.target.value);
            }}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField label={t('field.currency')} name="currency" value={currency} error={invalid('currency')} onChange={(event) => setCurrency(event.target.value)}>
              {currencies.map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </SelectField>
            <SelectField label={t('field.timezone')} name="timezone" value={timezone} error={invalid('timezone')} onChange={(event) => setTimezone(event.target.value)}>
              {timeZones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </SelectField>
          </div>
          <div>
            <p className="text-sm font-medium text-slate-900">{t('field.region')}</p>
            <p className="mt-1 text-sm text-slate-700">{regions.data?.items[0]?.id ?? '…'}</p>
            <p className="text-sm text-slate-600">{t('createOrganization.regionHint')}</p>
          </div>
          <FormError message={create.isError ? errorMessage(create.error) : null} />
          <Button type="submit" busy={create.isPending} busyLabel={t('createOrganization.busy')}>
            {t('createOrganization.submit')}
          </Button>
        </form>
      </Card>
    </PlainMain>
  );
}
