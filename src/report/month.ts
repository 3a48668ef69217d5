import { addDays, localParts, localToEpoch } from '../waste/local-time.js';

/**
 * A report month: a local calendar month of the site's zone, as the half-open instant range
 * [from, to) and its list of local dates. Month boundaries go through local-time.ts (TZDate), so a
 * site in a zone with daylight saving time still gets whole local days.
 */
export interface ReportMonth {
  /** YYYY-MM */
  month: string;
  timezone: string;
  /** epoch ms of local midnight on the 1st… */
  from: number;
  /** …and of local midnight on the 1st of the next month (exclusive) */
  to: number;
  /** every local date of the month, YYYY-MM-DD */
  dates: string[];
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** The same rule as a JSON-schema pattern, for the routes' query validation. */
export const MONTH_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])$';

export function isMonth(value: unknown): value is string {
  return typeof value === 'string' && MONTH_RE.test(value);
}

/** The month after `month` (YYYY-MM). */
export function nextMonth(month: string): string {
  const match = MONTH_RE.exec(month);
  if (!match) throw new Error(`not a month YYYY-MM: ${JSON.stringify(month)}`);
  const y = Number(match[1]);
  const m = Number(match[2]);
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01` : `${match[1]}-${String(m + 1).padStart(2, '0')}`;
}

export function reportMonth(month: string, tz: string): ReportMonth {
  const first = `${month}-01`;
  if (!isMonth(month)) throw new Error(`not a month YYYY-MM: ${JSON.stringify(month)}`);
  const dates: string[] = [];
  for (let d = first; d.startsWith(month); d = addDays(d, 1)) dates.push(d);
  return { month, timezone: tz, from: localToEpoch(first, 0, tz), to: localToEpoch(`${nextMonth(month)}-01`, 0, tz), dates };
}

/** The local month (YYYY-MM) that contains `epochMs`. */
export function monthOf(epochMs: number, tz: string): string {
  return localParts(epochMs, tz).date.slice(0, 7);
}

/** A month that has not begun yet at `now` has nothing to report (and is refused with a 400). */
export function isFutureMonth(month: string, now: number, tz: string): boolean {
  // Both are zero-padded YYYY-MM, so string order is calendar order.
  return month > monthOf(now, tz);
}
