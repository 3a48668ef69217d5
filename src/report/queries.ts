import type { CategoryId } from '../concerns/categories.js';
import type { SiteConfig } from '../config/schema.js';
import type { AlertKind } from '../contract/payloads.js';
import type { EventKind } from '../health/rules.js';
import type { Db } from '../store/db.js';
import type { ReportMonth } from './month.js';
import type { MonthFigures } from './types.js';

/**
 * The SQL that gathers one month's figures, read-only, straight from the other domains' tables (a
 * report reads across every domain; going through five services would only add coupling). No
 * statement selects a phone, a resident's words or a code: what is not read cannot leak.
 */
type Figures = Omit<MonthFigures, 'site' | 'month' | 'now' | 'doors' | 'points'>;

/** Pickup slot keys are `<point>/<category>/<YYYY-MM-DD>T<HH:MM>` (waste/pickup-slots.ts). */
const SLOT_KEY_RE = /^([^/]+)\/([^/]+)\/(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}$/;

export function createReportQueries(db: Db) {
  const q = {
    // The lounge module's table (migration 9), always there: openStore applies every migration.
    footfall: db.prepare<[number, number], { doorId: string; hourStart: number; entries: number }>(
      'SELECT door_id AS doorId, hour_start AS hourStart, entries FROM lounge_visits_hourly WHERE hour_start >= ? AND hour_start < ? ORDER BY hour_start, door_id',
    ),
    events: db.prepare<[number, number], { id: number; kind: EventKind; host: string; startsAt: number; endsAt: number; cancelled: number }>(
      'SELECT id, kind, host, starts_at AS startsAt, ends_at AS endsAt, cancelled FROM health_events WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at, id',
    ),
    signups: db.prepare<[number, number], { eventId: number; people: number; status: 'confirmed' | 'waitlisted' | 'cancelled'; promoted: number; checkedIn: number }>(
      `SELECT s.event_id AS eventId, s.people, s.status, s.promoted_at IS NOT NULL AS promoted, s.checked_in_at IS NOT NULL AS checkedIn
       FROM health_signups s JOIN health_events e ON e.id = s.event_id WHERE e.starts_at >= ? AND e.starts_at < ? ORDER BY s.id`,
    ),
    // The slot's own date is in its key; GLOB on it finds the month without parsing every row in JS.
    slots: db.prepare<[string], { slotKey: string; outcome: string }>(
      "SELECT slot_key AS slotKey, outcome FROM pickup_slot_checks WHERE slot_key GLOB '*/' || ? || '-[0-9][0-9]T*' ORDER BY slot_key",
    ),
    dropoffs: db.prepare<[number, number], { binId: string; inWindow: number; outOfWindow: number }>(
      'SELECT bin_id AS binId, sum(in_window) AS inWindow, sum(1 - in_window) AS outOfWindow FROM dropoffs WHERE at >= ? AND at < ? GROUP BY bin_id ORDER BY bin_id',
    ),
    alerts: db.prepare<[number, number], { kind: AlertKind; raisedAt: number; ackedAt: number | null; escalatedAt: number | null; resolvedAt: number | null }>(
      `SELECT kind, raised_at AS raisedAt, acked_at AS ackedAt, escalated_at AS escalatedAt, resolved_at AS resolvedAt
       FROM alerts WHERE raised_at >= ? AND raised_at < ? ORDER BY raised_at`,
    ),
    // Raised before the month ended and not closed (resolved or declined) before it began: every
    // concern the month raised, resolved, declined or left open.
    concerns: db.prepare<{ from: number; to: number }, { category: CategoryId; raisedAt: number; resolvedAt: number | null; declinedAt: number | null }>(
      `SELECT category, raised_at AS raisedAt, resolved_at AS resolvedAt, CASE WHEN state = 'declined' THEN closed_at END AS declinedAt
       FROM concerns
       WHERE raised_at < @to AND coalesce(resolved_at, CASE WHEN state = 'declined' THEN closed_at END, @from) >= @from
       ORDER BY raised_at, id`,
    ),
  };

  return {
    gather(m: ReportMonth): Figures {
      return {
        footfall: q.footfall.all(m.from, m.to),
        events: q.events.all(m.from, m.to).map((e) => ({ ...e, cancelled: e.cancelled === 1 })),
        signups: q.signups.all(m.from, m.to).map((s) => ({ ...s, promoted: s.promoted === 1, checkedIn: s.checkedIn === 1 })),
        slots: q.slots.all(m.month).flatMap((s) => {
          const match = SLOT_KEY_RE.exec(s.slotKey);
          return match?.[3]?.startsWith(m.month) ? [{ pointId: match[1] as string, category: match[2] as string, outcome: s.outcome }] : [];
        }),
        dropoffs: q.dropoffs.all(m.from, m.to),
        alerts: q.alerts.all(m.from, m.to),
        concerns: q.concerns.all({ from: m.from, to: m.to }),
      };
    },
  };
}

/** The public parts of the site file the report names: the site, its doors, points and bins. */
export function siteFacts(config: SiteConfig): Pick<MonthFigures, 'site' | 'doors' | 'points'> {
  return {
    site: { id: config.site.id, name: config.site.name },
    doors: config.lounge.doors.map((d) => ({ id: d.id, name: d.name })),
    points: config.points.map((p) => ({ id: p.id, name: p.name, bins: p.bins.map((b) => ({ id: b.id, category: b.category })) })),
  };
}

export type ReportQueries = ReturnType<typeof createReportQueries>;
