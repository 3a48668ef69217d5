import { hhmm } from '../../format.js';

/**
 * When an event is, as parts the string tables put into words: its local date in the site's zone
 * (the panel's own zone may be anything) and how many days from today that is, so the screen can say
 * "today" and "tomorrow" — what an elderly resident actually asks. Pure, for unit tests.
 */
export interface LocalDay {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 0 = Monday … 6 = Sunday */
  weekday: number;
  /** days from the local today: 0 today, 1 tomorrow, -1 yesterday */
  fromToday: number;
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function dateParts(ms: number, timeZone: string): { year: number; month: number; day: number; weekday: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), weekday: WEEKDAYS.indexOf(parts.weekday ?? '') };
}

export function localDay(ms: number, timeZone: string, now: number): LocalDay {
  const d = dateParts(ms, timeZone);
  const t = dateParts(now, timeZone);
  const fromToday = Math.round((Date.UTC(d.year, d.month - 1, d.day) - Date.UTC(t.year, t.month - 1, t.day)) / DAY_MS);
  return { ...d, fromToday };
}

/** 10:00–12:00 in the site's zone. */
export function timeRange(startsAt: number, endsAt: number, timeZone: string): string {
  return `${hhmm(startsAt, timeZone)}–${hhmm(endsAt, timeZone)}`;
}

/**
 * The kiosk offers check-in from a little before the start until the end. The server has the real
 * window (health.checkInOpensMinutesBefore, not published to the kiosk) and says "not yet" in words;
 * the button only has to be there when a resident might come for it.
 */
export const CHECK_IN_SHOWN_BEFORE_MS = 2 * 3_600_000;

export function checkInOffered(e: { startsAt: number; endsAt: number; cancelled: boolean }, now: number): boolean {
  return !e.cancelled && now >= e.startsAt - CHECK_IN_SHOWN_BEFORE_MS && now < e.endsAt;
}

/** The server refuses cancelling once the event has started (nobody could use the place any more). */
export function cancelOffered(e: { startsAt: number; cancelled: boolean }, now: number): boolean {
  return !e.cancelled && now < e.startsAt;
}
