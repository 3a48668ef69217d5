import { addDays, hhmmToMinutes, localParts, localToEpoch } from '../waste/local-time.js';

/**
 * When the daily summary (`event/summary.daily`) is due: a pure function of `now`, the site's zone,
 * the last date sent and whether the clock is trusted.
 *
 * It is due from 21:00 local time until midnight, once per local date. A service that was down at
 * 21:00 sends it when it comes back the same evening, but never the next morning: by then the
 * figures are yesterday's and a morning "daily summary" would be read as today's. An untrusted clock
 * (a Pi without RTC before NTP) sends nothing, and a clock that went back never repeats a date.
 */
export const SUMMARY_AT = '21:00';

export function summaryDue(i: { now: number; tz: string; lastSent: string | undefined; trusted: boolean; at?: string }): string | undefined {
  if (!i.trusted) return undefined;
  const { date, minutes } = localParts(i.now, i.tz);
  if (minutes < hhmmToMinutes(i.at ?? SUMMARY_AT)) return undefined;
  if (i.lastSent !== undefined && i.lastSent >= date) return undefined;
  return date;
}

/** [from, to) of a local date in epoch ms. */
export function dayBounds(date: string, tz: string): { from: number; to: number } {
  return { from: localToEpoch(date, 0, tz), to: localToEpoch(addDays(date, 1), 0, tz) };
}
