/**
 * Calendar days in the organization's time zone, as the instants the API filters on. A person who
 * picks "from 3 March to 5 March" means those days where the organization is, not in UTC.
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a calendar day `YYYY-MM-DD` that exists. */
export function isDay(text: string): boolean {
  const match = DAY.exec(text);
  if (match === null) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** The instant `day` begins in `timeZone`, as an ISO timestamp (UTC). */
export function startOfDay(day: string, timeZone: string): string {
  const match = DAY.exec(day);
  if (match === null) throw new Error(`not a day: ${day}`);
  const wall = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // The zone's offset at the guess, then again at the answer (a DST change on that day moves it).
  let instant = wall - offsetAt(wall, timeZone);
  instant = wall - offsetAt(instant, timeZone);
  return new Date(instant).toISOString();
}

/** The instant the day after `day` begins in `timeZone`: the exclusive end of a range ending on `day`. */
export function startOfNextDay(day: string, timeZone: string): string {
  const match = DAY.exec(day);
  if (match === null) throw new Error(`not a day: ${day}`);
  const next = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1));
  return startOfDay(next.toISOString().slice(0, 10), timeZone);
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instant`. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const value = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  const wall = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}
