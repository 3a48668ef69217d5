import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { SiteConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { errors } from '../core/errors.js';
import type { HealthStore } from '../health/health-store.js';
import { publicRateLimit } from '../http/rate-limits.js';
import type { StaffAuth } from '../staff/auth.js';
import { addDays, isDate, localParts } from '../waste/local-time.js';
import { isOpen, localDay, nextCloseAfter, nextOpenAfter, type LoungeHours } from './hours.js';
import { createLoungeFigures, MAX_VISIT_DAYS } from './lounge-figures.js';
import { LOUNGE_PAGE_PATH, loungePageHtml, LoungePageQuery } from './lounge-page.js';
import type { OccupancyState } from './occupancy.js';
import type { VisitsStore } from './visits-store.js';

/**
 * The lounge API. Public, for the kiosk: who is inside, today's visits and today's health-hour events
 * with their attendance so far; visits per day and hour. Staff (and the committee): attendance per
 * event next to its sign-ups and check-ins, and the same figures as a printable page (lounge-page.ts,
 * `/reports/lounge`); both take their numbers from lounge-figures.ts. Each answer first brings the
 * occupancy up to the clock (`catchUp`), so a closing time that passed since the last tick is applied.
 */
const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
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

  const figures = createLoungeFigures({ tz, visits, health, doorIds: doors.map((x) => x.id), attendanceMinutes, keptSince: d.keptSince });
  const staffOnly = d.auth.requireRole('admin', 'staff', 'committee');

  return async (app) => {
    app.get('/api/lounge', { config: { rateLimit } }, async () => {
      const state = d.catchUp();
      const now = clock.now();
      const open = isOpen(now, hours);
      const today = localParts(now, tz).date;
      const day = localDay(today, tz);
      const events = health.eventsStartingIn(day.from, day.to).filter((e) => !e.cancelled);
      const counts = figures.attendanceOf(events, now);
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
      const { from, to, days: perDay } = figures.visitsOver(localParts(clock.now(), tz).date, days);
      return { from, to, doors, days: perDay };
    });

    app.get(
      '/api/lounge/attendance',
      { onRequest: staffOnly, schema: { querystring: AttendanceQuery } },
      async (req) => {
        const q = req.query as { from: string; to: string };
        if (!isDate(q.from) || !isDate(q.to)) throw errors.badRequest('from and to must be dates YYYY-MM-DD');
        if (q.to < q.from) throw errors.badRequest('to is before from');
        if (addDays(q.from, MAX_ATTENDANCE_DAYS) <= q.to) throw errors.badRequest(`at most ${MAX_ATTENDANCE_DAYS} days at a time`);
        d.catchUp();
        const now = clock.now();
        return {
          from: q.from,
          to: q.to,
          attendanceMinutes,
          resolution: 'minute',
          countedSince: d.keptSince(now),
          events: figures.eventsBetween(q.from, q.to, now),
        };
      },
    );

    // The staff page: the same figures, server-rendered for the admin side and for printing.
    app.get(LOUNGE_PAGE_PATH, { onRequest: staffOnly, schema: { hide: true, querystring: LoungePageQuery } }, async (req, reply) => {
      const { days, lang } = req.query as LoungePageQuery;
      const state = d.catchUp();
      const now = clock.now();
      const v = figures.visitsOver(localParts(now, tz).date, days);
      const html = loungePageHtml(
        {
          site: config.site.name,
          timezone: tz,
          generatedAt: now,
          open: isOpen(now, hours),
          inside: state.inside,
          visitsToday: state.visitsToday,
          doors,
          attendanceMinutes,
          ...v,
          events: figures.eventsBetween(v.from, v.to, now),
        },
        lang,
      );
      return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(html);
    });
  };
}
