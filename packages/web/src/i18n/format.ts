/** Locale tags the app formats numbers and dates with, per language. */
const LOCALES = { en: 'en-US', es: 'es-ES' } as const;
export type Locale = keyof typeof LOCALES;

/** An amount in minor units of `currency` (ISO 4217), e.g. 123456 USD → "$1,234.56". */
export function formatMoney(minor: number, currency: string, language: Locale): string {
  const format = new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

/** A UTC instant from the API shown in the organization's time zone. */
export function formatDateTime(iso: string, timeZone: string, language: Locale, style: 'date' | 'dateTime' = 'dateTime'): string {
  const options: Intl.DateTimeFormatOptions = style === 'date' ? { dateStyle: 'medium', timeZone } : { dateStyle: 'medium', timeStyle: 'short', timeZone };
  return new Intl.DateTimeFormat(LOCALES[language], options).format(new Date(iso));
}

export function formatNumber(value: number, language: Locale, fractionDigits = 0): string {
  return new Intl.NumberFormat(LOCALES[language], { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value);
}
