/**
 * Money as the server counts it: integers in minor units of the tenant's currency (specs/orders.md
 * ORD-002). The new-order form computes its live total with these, so it equals the server's.
 */

export interface PricedLine {
  unitPriceMinor: number;
  quantity: number;
}

export interface OrderAmounts {
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/** Σ unit price × quantity − discount + tax, every step an integer. */
export function orderAmounts(lines: readonly PricedLine[], discountMinor: number, taxMinor: number): OrderAmounts {
  const subtotalMinor = lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0);
  return { subtotalMinor, discountMinor, taxMinor, totalMinor: subtotalMinor - discountMinor + taxMinor };
}

/** How many minor units a major unit of `currency` has, as a power of ten (USD 2, JPY 0). */
export function fractionDigits(currency: string): number {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * An amount typed by a person ("12", "12.5", "12,50") in minor units, read as text so no binary
 * fraction creeps in: undefined when it is not a non-negative amount with at most the currency's
 * decimals. Empty text is zero.
 */
export function parseMinor(text: string, currency: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  const digits = fractionDigits(currency);
  const match = /^(\d{1,12})(?:[.,](\d*))?$/.exec(trimmed);
  if (match === null) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** Minor units as the text a person would type back ("12.50"), for an input's initial value. */
export function formatMinorForInput(minor: number, currency: string): string {
  const digits = fractionDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
