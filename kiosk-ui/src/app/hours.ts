import { localParts } from '../format.js';

/**
 * The lounge's opening hours on the kiosk's clock, in the site's time zone: is it open now, and when
 * does it next open (for night mode). The same rules as the server (src/lounge/hours.ts): a closing
 * time at or before the opening time runs past midnight, and equal times mean always open. Minutes are
 * counted on the local wall clock, which is exact for Shanghai (no summer time).
 */
export interface Hours {
  /** local HH:MM */
  open: string;
  close: string;
}

const DAY_MIN = 24 * 60;
const MINUTE_MS = 60_000;

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function isOpenAt(now: number, timeZone: string, hours: Hours): boolean {
  const o = minutesOf(hours.open);
  const c = minutesOf(hours.close);
  const m = localParts(now, timeZone).minutes;
  if (c === o) return true;
  return c > o ? m >= o && m < c : m >= o || m < c;
}

export interface NextOpening {
  /** epoch ms */
  at: number;
  /** local HH:MM */
  time: string;
  day: 'today' | 'tomorrow';
}

/** When the lounge next opens, from `now` (null when it never closes). */
export function nextOpening(now: number, timeZone: string, hours: Hours): NextOpening | null {
  const o = minutesOf(hours.open);
  if (o === minutesOf(hours.close)) return null;
  const m = localParts(now, timeZone).minutes;
  const wait = (o - m + DAY_MIN) % DAY_MIN || DAY_MIN;
  const at = Math.floor(now / MINUTE_MS) * MINUTE_MS + wait * MINUTE_MS;
  return { at, time: hours.open, day: m + wait >= DAY_MIN ? 'tomorrow' : 'today' };
}
