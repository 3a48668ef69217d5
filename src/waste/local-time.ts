import { TZDate } from '@date-fns/tz';
import { DAYS } from '../config/schema.js';

/**
 * Site-local calendar arithmetic. Every wall-clock question ("what local day is it", "when is 06:30
 * on 2026-11-28 in Shanghai") goes through TZDate and the IANA zone database, never through a fixed
 * offset, so the same code is right for a site in a zone with daylight saving time.
 */

export type Weekday = (typeof DAYS)[number];
export interface LocalParts {
  /** the local date, YYYY-MM-DD */
  date: string;
  weekday: Weekday;
  /** minutes since local midnight, 0..1439 (wall clock, so a DST day still counts 0..1439) */
  minutes: number;
}

export const MINUTE_MS = 60_000;
export const DAY_MINUTES = 1440;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Splits a YYYY-MM-DD date, rejecting impossible ones (2026-02-30) so typos do not roll over silently. */
export function parseDate(date: string): { y: number; m: number; d: number } {
  const match = DATE_RE.exec(date);
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === d) return { y, m, d };
  }
  throw new Error(`not a date YYYY-MM-DD: ${JSON.stringify(date)}`);
}

export function isDate(value: unknown): value is string {
  try {
    return typeof value === 'string' && parseDate(value) !== undefined;
  } catch {
    return false;
  }
}

/** 'HH:MM' → minutes since midnight; '24:00' is 1440, midnight at the end of the day. */
export function hhmmToMinutes(hhmm: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!match || Number(match[2]) > 59 || minutes > DAY_MINUTES) throw new Error(`not a time HH:MM: ${JSON.stringify(hhmm)}`);
  return minutes;
}

/**
 * Zone arithmetic through the IANA database is slow (a TZDate costs microseconds), and the garden,
 * the lounge and the schedule ask the same questions for every reading: the answers are remembered.
 * Bounded, so a long run or a clock that jumps cannot grow it without limit.
 */
const MEMO_MAX = 4096;
function memo<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  let v = cache.get(key);
  if (v === undefined) {
    if (cache.size >= MEMO_MAX) cache.clear();
    v = compute();
    cache.set(key, v);
  }
  return v;
}
const partsCache = new Map<string, LocalParts>();
const epochCache = new Map<string, number>();

/**
 * The local date, weekday and minute of an instant. Remembered per wall-clock minute: every zone's
 * offset since 1900 is a whole number of minutes, so all instants of one UTC minute share the answer.
 */
export function localParts(epochMs: number, tz: string): LocalParts {
  const minute = Math.floor(epochMs / MINUTE_MS);
  // Frozen: the same object is handed to every caller of that minute.
  return memo(partsCache, `${tz}|${minute}`, () => Object.freeze(computeLocalParts(minute * MINUTE_MS, tz)));
}

function computeLocalParts(epochMs: number, tz: string): LocalParts {
  const t = new TZDate(epochMs, tz);
  return {
    date: `${pad(t.getFullYear(), 4)}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`,
    // Date counts from Sunday = 0; DAYS starts on Monday.
    weekday: DAYS[(t.getDay() + 6) % 7]!,
    minutes: t.getHours() * 60 + t.getMinutes(),
  };
}

/**
 * The instant of local wall time `minutes` after midnight on `date`; 1440 is the next midnight.
 * A time skipped by a DST jump moves forward by the jump (02:30 → 03:30); a repeated one takes the
 * later instant. Shanghai has neither, but a site elsewhere gets a defined answer.
 */
export function localToEpoch(date: string, minutes: number, tz: string): number {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > DAY_MINUTES) throw new Error(`minutes out of 0..1440: ${minutes}`);
  return memo(epochCache, `${tz}|${date}|${minutes}`, () => computeLocalToEpoch(date, minutes, tz));
}

function computeLocalToEpoch(date: string, minutes: number, tz: string): number {
  const { y, m, d } = parseDate(date);
  // Hour 24 is normalised by Date semantics to 00:00 of the next day, in the zone.
  return new TZDate(y, m - 1, d, Math.floor(minutes / 60), minutes % 60, tz).getTime();
}

/** Pure calendar arithmetic on dates (no time of day, so no zone): UTC is just a neutral calendar. */
export function addDays(date: string, n: number): string {
  const { y, m, d } = parseDate(date);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** The weekday of a calendar date (the same in every zone). */
export function weekdayOf(date: string): Weekday {
  const { y, m, d } = parseDate(date);
  return DAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7]!;
}
