import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { SiteConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { errors } from '../core/errors.js';
import type { HealthEvent, HealthStore } from '../health/health-store.js';
import { publicRateLimit } from '../http/rate-limits.js';
import type { StaffAuth } from '../staff/auth.js';
import { addDays, isDate, localParts } from '../waste/local-time.js';
import { attendance, spanOf } from './attendance.js';
import { isOpen, localDay, nextCloseAfter, nextOpenAfter, type LoungeHours } from './hours.js';
import type { OccupancyState } from './occupancy.js';
import type { VisitsStore } from './visits-store.js';
import { dateRange, visitsByDay } from './visits-view.js';

/**
 * The lounge API. Public, for the kiosk: who is inside, today's visits and today's health-hour events
 * with their attendance so far; visits per day and hour. Staff (and the committee): attendance per
 * event next to its sign-ups and check-ins. Each answer first brings the occupancy up to the clock
 * (`catchUp`), so a closing time that passed since the last tick is already applied.
 */
const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
const MAX_VISIT_DAYS = 92;
const MAX_ATTENDANCE_DAYS = 366;

const VisitsQuery = Type.Object({
  days: Type.Integer({ minimum: 1, maximum: MAX_VISIT_DAYS, default: 7, description: 'today and the days before it' }),
});
const AttendanceQuery = Type.Object({
  from: Type.String({ pattern: DATE_PATTERN, description: 'first local date, YYYY-MM-DD' }),
  to: Type.String({ pattern: DATE_PATTERN, description: 'last local date (inclusive), YYYY-MM-DD' }),
});

export function loungeRoutes(d: {
  config: SiteConfig;
  clock: Clock;
  hours: LoungeHours;
  visits: VisitsStore;
  health: HealthStore;
  auth: StaffAuth;
  keptSince: (now: number) => number;
  catchUp: () => OccupancyState;
}): FastifyPluginAsync {
  const { config, clock, hours, visits, health } = d;
  const tz = config.site.timezone;
  const { rateLimit } = publicRateLimit(config.http.publicRateLimitPerMinute);
  const attendanceMinutes = config.lounge.attendanceMinutes;
  const doors = config.lounge.doors.map((x) => ({ id: x.id, name: x.name }));

  /** Door attendance of events, read in one query over the span of their windows. */
  const attendanceOf = (events: readonly HealthEvent[], now: number) => {
    const span = spanOf(events, attendanceMinutes);
    const buckets = span ? visits.minuteEntries(span.from, span.to) : [];
    const keptSince = d.keptSince(now);
    return events.map((e) => attendance(e, { attendanceMinutes, buckets, now, keptSince }));
  };

  return async (app) => {
    app.get('/api/lounge', { config: { rateLimit } }, async () => {
      const state = d.catchUp();
      const now = clock.now();
      const open = isOpen(now, hours);
      const today = localParts(now, tz).date;
      const day = localDay(today, tz);
      const events = health.eventsStartingIn(day.from, day.to).filter((e) => !e.cancelled);
      const counts = attendanceOf(events, now);
      return {
        at: new Date(now).toISOString(),
        inside: state.inside,
        visitsToday: state.visitsToday,
        open,
        hours: {
          open: config.lounge.hours.open,
          close: config.lounge.hours.close,
          closesAt: open ? nextCloseAfter(now, hours).closesAt : null,
          opensAt: open ? null : nextOpenAfter(now, hours),
        },
        doors,
        events: events.map((e, i) => ({
          id: e.id,
          kind: e.kind,
          title: e.title,
          place: e.place,
          startsAt: e.startsAt,
          endsAt: e.endsAt,
          signedUp: health.counts(e.id).confirmedPeople,
          attendance: counts[i],
        })),
      };
    });

    app.get('/api/lounge/visits', { schema: { querystring: VisitsQuery }, config: { rateLimit } }, async (req) => {
      const { days } = req.query as { days: number };
      d.catchUp();
      const today = localParts(clock.now(), tz).date;
      const dates = dateRange(today, days);
      const first = dates[0] ?? today;
      const rows = visits.hourly(localDay(first, tz).from, localDay(today, tz).to);
      const resets = new Map(visits.resets(first, today).map((r) => [r.day, r]));
      return {
        from: first,
        to: today,
        doors,
        days: visitsByDay(rows, dates, tz, doors.map((x) => x.id)).map((v) => {
          const r = resets.get(v.date);
          return { ...v, reset: r ? { at: r.at, insideAtClose: r.insideAtClose, missedEntries: r.missedEntries, leftAfterClose: r.leftAfterClose } : null };
        }),
      };
    });

    app.get(
      '/api/lounge/attendance',
      { onRequest: d.auth.requireRole('admin', 'staff', 'committee'), schema: { querystring: AttendanceQuery } },
      async (req) => {
        const q = req.query as { from: string; to: string };
        if (!isDate(q.from) || !isDate(q.to)) throw errors.badRequest('from and to must be dates YYYY-MM-DD');
        if (q.to < q.from) throw errors.badRequest('to is before from');
        if (addDays(q.from, MAX_ATTENDANCE_DAYS) <= q.to) throw errors.badRequest(`at most ${MAX_ATTENDANCE_DAYS} days at a time`);
        d.catchUp();
        const now = clock.now();
        const events = health.eventsStartingIn(localDay(q.from, tz).from, localDay(q.to, tz).to);
        const counts = attendanceOf(events, now);
        return {
          from: q.from,
          to: q.to,
          attendanceMinutes,
          resolution: 'minute',
          countedSince: d.keptSince(now),
          events: events.map((e, i) => {
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
          }),
        };
      },
    );
  };
}
