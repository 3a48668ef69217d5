import { addDays, localParts } from '../waste/local-time.js';
import type { VisitRow } from './visits-store.js';

/**
 * Hourly rows → what `/api/lounge/visits` shows: per local day and, inside it, per local hour; each
 * with the total and per door. Pure. Every day of the range is listed (a day without passages shows
 * zeros); hours without a passage are left out, so a DST day needs no special case.
 */
export interface InOut {
  entries: number;
  exits: number;
}
export interface HourVisits extends InOut {
  /** epoch ms of the local hour's start */
  hourStart: number;
  /** local wall time, "HH:00" */
  hour: string;
  doors: Record<string, InOut>;
}
export interface DayVisits extends InOut {
  date: string;
  doors: Record<string, InOut>;
  hours: HourVisits[];
}

const add = (into: Record<string, InOut>, doorId: string, r: InOut) => {
  const d = (into[doorId] ??= { entries: 0, exits: 0 });
  d.entries += r.entries;
  d.exits += r.exits;
};

/** The `days` local dates ending with `today`, oldest first. */
export function dateRange(today: string, days: number): string[] {
  return Array.from({ length: days }, (_, i) => addDays(today, i - days + 1));
}

export function visitsByDay(rows: readonly VisitRow[], dates: readonly string[], tz: string, doorIds: readonly string[]): DayVisits[] {
  const zeroDoors = () => Object.fromEntries(doorIds.map((id) => [id, { entries: 0, exits: 0 }]));
  const days = new Map(dates.map((date) => [date, { date, entries: 0, exits: 0, doors: zeroDoors(), hours: [] as HourVisits[] }]));
  const hours = new Map<number, HourVisits>();
  for (const r of rows) {
    const local = localParts(r.start, tz);
    const day = days.get(local.date);
    if (!day) continue;
    day.entries += r.entries;
    day.exits += r.exits;
    add(day.doors, r.doorId, r);
    let h = hours.get(r.start);
    if (!h) {
      const hh = String(Math.floor(local.minutes / 60)).padStart(2, '0');
      h = { hourStart: r.start, hour: `${hh}:00`, entries: 0, exits: 0, doors: zeroDoors() };
      hours.set(r.start, h);
      day.hours.push(h);
    }
    h.entries += r.entries;
    h.exits += r.exits;
    add(h.doors, r.doorId, r);
  }
  for (const d of days.values()) d.hours.sort((a, b) => a.hourStart - b.hourStart);
  return [...days.values()];
}
