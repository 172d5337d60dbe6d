/**
 * Prices as people type them (a decimal amount of the tenant's currency) and as Keel keeps them
 * (an integer of the currency's minor units). How many decimals a currency has comes from
 * Intl.NumberFormat (0 for JPY, 2 for USD, 3 for KWD): the same source the app formats money with.
 * Pure functions, no DOM: Node tests run them as they are.
 */

/** The number of decimals of an ISO 4217 currency: 10^digits minor units make one unit. */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export type ParsedPrice = { kind: 'ok'; minor: number } | { kind: 'empty' } | { kind: 'invalid' } | { kind: 'tooManyDecimals'; digits: number };

/**
 * A typed amount to minor units, exactly (no floating point). `groupSeparator` is the language's
 * thousands separator ("," in English, "." in Spanish). Accepts "12.5", "12,50", "1,234.56",
 * "1.234,56", "1 234,56"; a lone group separator followed by exactly three digits groups thousands
 * ("1,000" in English is one thousand), any other lone separator is the decimal one. More decimals
 * than the currency has, a sign, letters or an amount beyond JavaScript's exact integers are refused.
 */
export function parsePrice(text: string, currency: string, groupSeparator: ',' | '.' = ','): ParsedPrice {
  const digits = currencyDigits(currency);
  const compact = text.replace(/[\s\u00a0\u202f']/g, '');
  if (compact === '') return { kind: 'empty' };
  if (!/^[\d.,]+$/.test(compact) || !/\d/.test(compact)) return { kind: 'invalid' };

  const decimalAt = decimalSeparatorIndex(compact, groupSeparator);
  if (decimalAt === null) return { kind: 'invalid' };
  const grouped = decimalAt === -1 ? compact : compact.slice(0, decimalAt);
  // Thousands come in groups of three: "1,234,567", never "1,2,3".
  if (!/^(\d*|\d{1,3}([.,]\d{3})+)$/.test(grouped)) return { kind: 'invalid' };
  const integerText = grouped.replace(/[.,]/g, '');
  const fraction = decimalAt === -1 ? '' : compact.slice(decimalAt + 1);
  if (!/^\d*$/.test(fraction)) return { kind: 'invalid' };
  if (fraction.length > digits) return { kind: 'tooManyDecimals', digits };

  const minor = BigInt(integerText === '' ? '0' : integerText) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { kind: 'invalid' };
  return { kind: 'ok', minor: Number(minor) };
}

/** Where the decimal separator is, -1 when every separator groups thousands, null when it is ambiguous. */
function decimalSeparatorIndex(text: string, groupSeparator: string): number | null {
  const last = Math.max(text.lastIndexOf('.'), text.lastIndexOf(','));
  if (last === -1) return -1;
  const separator = text[last]!;
  const other = separator === '.' ? ',' : '.';
  const occurrences = text.split(separator).length - 1;
  // Both kinds: the last one is the decimal separator ("1,234.56", "1.234,56"), and only once.
  if (text.includes(other)) return occurrences === 1 ? last : null;
  if (occurrences > 1) return -1;
  const after = text.length - last - 1;
  return separator === groupSeparator && after === 3 ? -1 : last;
}

/** Minor units as a typed amount, for an edit form: 1250 USD → "12.50", 1200 JPY → "1200", 12345 KWD → "12.345". */
export function priceInput(minor: number, currency: string, decimalSeparator = '.'): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const scale = 10 ** digits;
  return `${Math.floor(minor / scale)}${decimalSeparator}${String(minor % scale).padStart(digits, '0')}`;
}
