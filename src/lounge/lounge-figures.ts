import type { HealthEvent, HealthStore } from '../health/health-store.js';
import { attendance, spanOf, type Attendance } from './attendance.js';
import { localDay } from './hours.js';
import type { VisitsStore } from './visits-store.js';
import { dateRange, visitsByDay, type DayVisits } from './visits-view.js';

/**
 * The lounge's figures as both the JSON API (lounge-routes.ts) and the staff page (lounge-page.ts)
 * show them: visits per day with the day's closing-time reset, and health-hour events with their
 * sign-ups, check-ins and door count. One place, so the page can never disagree with the API.
 * Reads the stores only; the caller brings the occupancy up to the clock first (`catchUp`).
 */
/** The longest range of days shown at once: a quarter, per door and hour. */
export const MAX_VISIT_DAYS = 92;

export interface DayReset {
  at: number;
  insideAtClose: number;
  missedEntries: number;
  leftAfterClose: number;
}
export interface DayWithReset extends DayVisits {
  reset: DayReset | null;
}
export interface VisitsOver {
  from: string;
  to: string;
  days: DayWithReset[];
}

export interface EventFigures {
  id: number;
  kind: HealthEvent['kind'];
  title: HealthEvent['title'];
  host: string;
  place: HealthEvent['place'];
  startsAt: number;
  endsAt: number;
  cancelled: boolean;
  signedUp: number;
  waitlisted: number;
  checkedIn: number;
  attendance: Attendance | undefined;
}

export function createLoungeFigures(d: {
  tz: string;
  visits: VisitsStore;
  health: HealthStore;
  doorIds: readonly string[];
  attendanceMinutes: number;
  keptSince: (now: number) => number;
}) {
  const { tz, visits, health, attendanceMinutes } = d;

  /** Door attendance of events, read in one query over the span of their windows. */
  const attendanceOf = (events: readonly HealthEvent[], now: number): Attendance[] => {
    const span = spanOf(events, attendanceMinutes);
    const buckets = span ? visits.minuteEntries(span.from, span.to) : [];
    const keptSince = d.keptSince(now);
    return events.map((e) => attendance(e, { attendanceMinutes, buckets, now, keptSince }));
  };

  /** The `days` local days ending with `today`, each with its visits per door and hour and its reset. */
  const visitsOver = (today: string, days: number): VisitsOver => {
    const dates = dateRange(today, days);
    const first = dates[0] ?? today;
    const rows = visits.hourly(localDay(first, tz).from, localDay(today, tz).to);
    const resets = new Map(visits.resets(first, today).map((r) => [r.day, r]));
    return {
      from: first,
      to: today,
      days: visitsByDay(rows, dates, tz, d.doorIds).map((v) => {
        const r = resets.get(v.date);
        return { ...v, reset: r ? { at: r.at, insideAtClose: r.insideAtClose, missedEntries: r.missedEntries, leftAfterClose: r.leftAfterClose } : null };
      }),
    };
  };

  /** Events starting on the local days `from`…`to` (cancelled ones too), with what was counted for each. */
  const eventsBetween = (from: string, to: string, now: number): EventFigures[] => {
    const events = health.eventsStartingIn(localDay(from, tz).from, localDay(to, tz).to);
    const counts = attendanceOf(events, now);
    return events.map((e, i) => {
      const c = health.counts(e.id);
      return {
        id: e.id,
        kind: e.kind,
        title: e.title,
        host: e.host,
        place: e.place,
        startsAt: e.startsAt,
        endsAt: e.endsAt,
        cancelled: e.cancelled,
        signedUp: c.confirmedPeople,
        waitlisted: c.waitlistedPeople,
        checkedIn: c.checkedInPeople,
        attendance: counts[i],
      };
    });
  };

  return { attendanceOf, visitsOver, eventsBetween };
}
export type LoungeFigures = ReturnType<typeof createLoungeFigures>;
