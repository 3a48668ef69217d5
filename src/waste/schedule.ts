import type { WasteCategory } from '../config/schema.js';
import type { Point, WasteCalendar } from './calendar.js';
import { addDays, DAY_MINUTES, hhmmToMinutes, localParts, localToEpoch } from './local-time.js';

/**
 * Drop-off windows (定时) as intervals of epoch ms, and the open/closed state of a point at `now`.
 * Pure: `now` comes from the caller, so the lids, the kiosk and the tests share one answer.
 */

/** [from, to) in epoch ms */
export interface Interval { from: number; to: number }
export interface CategoryState {
  open: boolean;
  /** the open interval containing now (its `to` is cut at the search horizon for an always-open point) */
  current: Interval | null;
  /** the next opening after now, within SEARCH_DAYS; never the interval we are in */
  next: Interval | null;
}
export interface PointState {
  pointId: string;
  /** any of its categories is open */
  open: boolean;
  categories: Partial<Record<WasteCategory, CategoryState>>;
}

export const SEARCH_DAYS = 14;

/**
 * The raw intervals of the windows that START on `date` for this category. A window whose `to` is
 * not after its `from` runs into the next day; its `days` are matched against its start day, so
 * "Sunday 22:00–02:00" is still open at 01:00 on Monday. A closed day drops the windows starting
 * on it (a window from the evening before may still run into it).
 */
export function windowsStartingOn(point: Point, category: WasteCategory, date: string, calendar: WasteCalendar, tz: string): Interval[] {
  if (calendar.pointClosed(point, date)) return [];
  const out: Interval[] = [];
  // A late-drop point (误时投放点) is open all day for all its categories.
  if (point.lateDrop) out.push({ from: localToEpoch(date, 0, tz), to: localToEpoch(date, DAY_MINUTES, tz) });
  for (const w of point.windows) {
    if (w.categories && !w.categories.includes(category)) continue;
    if (!calendar.matchesDay(w.days, date)) continue;
    const f = hhmmToMinutes(w.from);
    const t = hhmmToMinutes(w.to);
    const from = localToEpoch(date, f, tz);
    const to = t <= f ? localToEpoch(addDays(date, 1), t, tz) : localToEpoch(date, t, tz);
    if (to > from) out.push({ from, to }); // a window inside a skipped DST hour is empty
  }
  return out;
}

/**
 * Sorted, disjoint intervals: overlapping or touching windows (08:30–12:00 after 06:30–08:30, or
 * a late-drop day after the previous one) merge, so a countdown never says "opens" while open.
 */
export function mergeIntervals(list: readonly Interval[]): Interval[] {
  const merged: Interval[] = [];
  for (const iv of [...list].sort((a, b) => a.from - b.from)) {
    const last = merged[merged.length - 1];
    if (last && iv.from <= last.to) last.to = Math.max(last.to, iv.to);
    else merged.push({ ...iv });
  }
  return merged;
}

/** Merged open intervals of the windows starting on firstDate..lastDate (local dates, inclusive). */
export function openIntervals(
  point: Point,
  category: WasteCategory,
  firstDate: string,
  lastDate: string,
  calendar: WasteCalendar,
  tz: string,
): Interval[] {
  const raw: Interval[] = [];
  for (let d = firstDate; d <= lastDate; d = addDays(d, 1)) raw.push(...windowsStartingOn(point, category, d, calendar, tz));
  return mergeIntervals(raw);
}

export function categoryState(point: Point, category: WasteCategory, now: number, calendar: WasteCalendar, tz: string): CategoryState {
  const today = localParts(now, tz).date;
  // Windows last at most a day and a bit (from '24:00' to '24:00' ends two midnights later), so
  // yesterday's are the earliest that can still be open now.
  const intervals = openIntervals(point, category, addDays(today, -1), addDays(today, SEARCH_DAYS), calendar, tz);
  const current = intervals.find((iv) => iv.from <= now && now < iv.to) ?? null;
  // Merged intervals are disjoint, so the first one starting after now is the next opening even
  // while open.
  const next = intervals.find((iv) => iv.from > now) ?? null;
  return { open: current !== null, current, next };
}

/** The categories of a point's bins, in bin order, once each. */
export function pointCategories(point: Point): WasteCategory[] {
  return [...new Set(point.bins.map((b) => b.category))];
}

export function pointState(point: Point, now: number, calendar: WasteCalendar, tz: string): PointState {
  const categories: Partial<Record<WasteCategory, CategoryState>> = {};
  let open = false;
  for (const c of pointCategories(point)) {
    const s = categoryState(point, c, now, calendar, tz);
    categories[c] = s;
    open ||= s.open;
  }
  return { pointId: point.id, open, categories };
}
