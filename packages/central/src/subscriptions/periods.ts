/**
 * Billing periods are calendar months in UTC, anchored at the instant the paid plan started: each
 * ends on the anchor's day of the month at its time of day, or on the last day of a month too short
 * for it (started on January 31: February 28 or 29, then March 31).
 */

/** `anchor` plus `months` calendar months (UTC), on the anchor's day or the month's last day. */
export function addMonths(anchor: Date, months: number): Date {
  const year = anchor.getUTCFullYear();
  const month = anchor.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(anchor.getUTCDate(), lastDay), anchor.getUTCHours(), anchor.getUTCMinutes(), anchor.getUTCSeconds(), anchor.getUTCMilliseconds()));
}

/** The end of the period that starts at `start`, one of the anchor's period boundaries. */
export function periodEndAfter(anchor: Date, start: Date): Date {
  const months = (start.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (start.getUTCMonth() - anchor.getUTCMonth());
  return addMonths(anchor, months + 1);
}
