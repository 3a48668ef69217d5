import type { SiteConfig } from '../config/schema.js';
import type { WasteCalendar } from '../waste/calendar.js';
import { addDays, hhmmToMinutes, localParts, localToEpoch } from '../waste/local-time.js';

/**
 * Quiet times (no watering during the Saturday outdoor class, a market…) read like drop-off windows:
 * local HH:MM in the site's zone, `days` as weekdays or workday/restday by the official calendar, and
 * a `to` not after `from` runs past midnight. As for windows, `days` match the day a quiet time
 * starts, so "sat 22:00–02:00" still holds at 01:00 on Sunday.
 */
export type QuietTime = SiteConfig['garden']['watering']['quietTimes'][number];

/** [from, to) of the quiet time if it starts on `date`, else null. */
function intervalStartingOn(q: QuietTime, date: string, calendar: WasteCalendar): { from: number; to: number } | null {
  if (!calendar.matchesDay(q.days, date)) return null;
  const f = hhmmToMinutes(q.from);
  const t = hhmmToMinutes(q.to);
  const from = localToEpoch(date, f, calendar.tz);
  const to = t <= f ? localToEpoch(addDays(date, 1), t, calendar.tz) : localToEpoch(date, t, calendar.tz);
  return { from, to };
}

/** The quiet time that holds at `now`, if any. */
export function quietTimeAt(quietTimes: readonly QuietTime[], now: number, calendar: WasteCalendar): QuietTime | undefined {
  const today = localParts(now, calendar.tz).date;
  // A quiet time lasts at most a day, so one that started yesterday is the earliest that can hold now.
  for (const date of [addDays(today, -1), today]) {
    for (const q of quietTimes) {
      const iv = intervalStartingOn(q, date, calendar);
      if (iv && iv.from <= now && now < iv.to) return q;
    }
  }
  return undefined;
}
