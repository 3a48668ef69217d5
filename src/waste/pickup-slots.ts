import type { SiteConfig, WasteCategory } from '../config/schema.js';
import type { Point, WasteCalendar } from './calendar.js';
import { addDays, hhmmToMinutes, localParts, localToEpoch, MINUTE_MS } from './local-time.js';

/**
 * Collection (收运) slots: a pickup time on a matching day, with the tolerance around it in which a
 * drop in fill counts as that pickup. A slot that ends without one is a missed pickup, so the
 * caller asks for "slots that ended since I last looked" (slotsEndingIn) and de-duplicates by key.
 */

export interface PickupSlot {
  pointId: string;
  category: WasteCategory;
  /** local date and time of the pickup as configured, for the key and for people */
  date: string;
  at: string;
  scheduledAt: number;
  /** [from, to) in epoch ms: earlyMinutes before scheduledAt to slotMinutes after */
  from: number;
  to: number;
}
export type PickupTiming = Pick<SiteConfig['waste']['pickup'], 'earlyMinutes' | 'slotMinutes'>;

/** Stable across restarts and configs that do not change the pickup: the DB's de-duplication key. */
export function slotKey(slot: Pick<PickupSlot, 'pointId' | 'category' | 'date' | 'at'>): string {
  return `${slot.pointId}/${slot.category}/${slot.date}T${slot.at}`;
}

/**
 * The slots of pickups scheduled on `date`. Crews work on days the point is closed (closures are
 * for residents), but not on a day the whole site is closed. onRequest pickups have no timetable.
 */
export function slotsOn(point: Point, date: string, calendar: WasteCalendar, tz: string, cfg: PickupTiming): PickupSlot[] {
  if (calendar.siteClosed(date)) return [];
  const out: PickupSlot[] = [];
  for (const p of point.pickups) {
    if (p.onRequest || !calendar.matchesDay(p.days, date)) continue;
    for (const at of p.at) {
      const scheduledAt = localToEpoch(date, hhmmToMinutes(at), tz);
      out.push({
        pointId: point.id,
        category: p.category,
        date,
        at,
        scheduledAt,
        from: scheduledAt - cfg.earlyMinutes * MINUTE_MS,
        to: scheduledAt + cfg.slotMinutes * MINUTE_MS,
      });
    }
  }
  return out;
}

/**
 * Slots of every date that may hold a pickup scheduled in (fromMs, toMs]. A '24:00' pickup of date
 * D is at D+1 00:00, but the lower bound is exclusive, so it is never after fromMs's own date.
 */
function slotsScheduledIn(point: Point, fromMs: number, toMs: number, calendar: WasteCalendar, tz: string, cfg: PickupTiming): PickupSlot[] {
  const out: PickupSlot[] = [];
  const last = localParts(toMs, tz).date;
  for (let d = localParts(fromMs, tz).date; d <= last; d = addDays(d, 1)) out.push(...slotsOn(point, d, calendar, tz, cfg));
  return out;
}

const byEnd = (a: PickupSlot, b: PickupSlot) => a.to - b.to || slotKey(a).localeCompare(slotKey(b));

/** Slots whose `to` is in (fromExclusive, toInclusive], sorted by `to`: consecutive calls never miss or repeat one. */
export function slotsEndingIn(
  point: Point,
  fromExclusive: number,
  toInclusive: number,
  calendar: WasteCalendar,
  tz: string,
  cfg: PickupTiming,
): PickupSlot[] {
  if (toInclusive <= fromExclusive) return [];
  const slotMs = cfg.slotMinutes * MINUTE_MS;
  return slotsScheduledIn(point, fromExclusive - slotMs, toInclusive - slotMs, calendar, tz, cfg)
    .filter((s) => s.to > fromExclusive && s.to <= toInclusive)
    .sort(byEnd);
}

/**
 * The slot of this category open at `now` (from <= now < to). When slots overlap, the one ending
 * first: a pickup seen now settles the slot that would be missed soonest.
 */
export function slotContaining(
  point: Point,
  category: WasteCategory,
  now: number,
  calendar: WasteCalendar,
  tz: string,
  cfg: PickupTiming,
): PickupSlot | null {
  const around = slotsScheduledIn(point, now - cfg.slotMinutes * MINUTE_MS, now + cfg.earlyMinutes * MINUTE_MS, calendar, tz, cfg);
  return around.filter((s) => s.category === category && s.from <= now && now < s.to).sort(byEnd)[0] ?? null;
}
