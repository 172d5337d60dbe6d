import { useI18n } from '../i18n/i18n.tsx';
import { useOrganization } from '../session/organization.tsx';

/** An amount in minor units of its currency, in the current language's format. */
export function Money({ minor, currency }: { minor: number; currency: string }) {
  const { money } = useI18n();
  return <span className="tabular-nums">{money(minor, currency)}</span>;
}

/** An instant from the API in the organization's time zone (inside /t/:slug), as a <time>. */
export function DateTime({ iso, style = 'dateTime' }: { iso: string; style?: 'date' | 'dateTime' }) {
  const { dateTime } = useI18n();
  const organization = useOrganization();
  return <time dateTime={iso}>{dateTime(iso, organization.timezone, style)}</time>;
}
