import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { SiteConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { StaffAuth } from '../staff/auth.js';
import { addDays, isDate, localToEpoch } from '../waste/local-time.js';
import type { HealthService } from './health-service.js';
import type { EventInput, HealthStore } from './health-store.js';
import { sendFailure } from './messages.js';
import { volunteerHours } from './rules.js';
import { AttendanceBody, DateRange, EventPatch, IdParams, NewEvent, staffEvent, staffSignups } from './views.js';

/**
 * The admin page's health-hour endpoints, for the role 'staff' (admins are always admitted). Every
 * change and every export is in the audit log. Phones are masked here too, except in the CSV export,
 * which is what staff need to call people and is audited for that reason.
 */
export function adminHealthRoutes(d: { config: SiteConfig; clock: Clock; store: HealthStore; service: HealthService; auth: StaffAuth }): FastifyPluginAsync {
  const { config, clock, store, service, auth } = d;
  const tz = config.site.timezone;
  const guard = { onRequest: auth.requireRole('staff') };
  const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

  /** Local dates (inclusive) → [from, to) in epoch ms; undefined when a date is impossible. */
  const range = (q: { from?: string; to?: string }, reply: FastifyReply) => {
    if ((q.from && !isDate(q.from)) || (q.to && !isDate(q.to))) {
      void reply.code(400).send({ error: { code: 'TX_BAD_REQUEST', message: 'from and to must be dates YYYY-MM-DD' } });
      return undefined;
    }
    return { from: q.from ? localToEpoch(q.from, 0, tz) : 0, to: q.to ? localToEpoch(addDays(q.to, 1), 0, tz) : Number.MAX_SAFE_INTEGER };
  };

  return async (app) => {
    app.get('/api/admin/health/events', { ...guard, schema: { querystring: DateRange } }, async (req, reply) => {
      const r = range(req.query as { from?: string; to?: string }, reply);
      if (!r) return reply;
      const now = clock.now();
      return { now, events: store.eventsStartingIn(r.from, r.to).map((e) => staffEvent(e, store.counts(e.id), now)) };
    });

    app.post('/api/admin/health/events', { ...guard, schema: { body: NewEvent } }, async (req, reply) => {
      const body = req.body as Omit<EventInput, 'description' | 'signupOpensAt' | 'signupClosesAt'> & Partial<EventInput>;
      const closes = body.signupClosesAt ?? body.startsAt;
      const input: EventInput = {
        ...body,
        description: body.description ?? { zh: '', en: '' },
        // Open now; for an event entered afterwards (for the volunteer hours), a minute before it closed.
        signupOpensAt: body.signupOpensAt ?? Math.min(clock.now(), closes - 60_000),
        signupClosesAt: closes,
      };
      const r = service.createEvent(input);
      if (!r.ok) return sendFailure(reply, r.reason, r.problems);
      auth.audit(req, 'health.event.create', `health-event:${r.event.id}`, { title: r.event.title.en, startsAt: r.event.startsAt, capacity: r.event.capacity });
      return reply.code(201).send({ event: staffEvent(r.event, store.counts(r.event.id), clock.now()) });
    });

    app.patch('/api/admin/health/events/:id', { ...guard, schema: { params: IdParams, body: EventPatch } }, async (req, reply) => {
      const { id } = req.params as { id: number };
      const patch = req.body as Partial<EventInput>;
      const r = service.updateEvent(id, patch);
      if (!r.ok) return sendFailure(reply, r.reason, r.problems);
      auth.audit(req, 'health.event.update', `health-event:${id}`, { changed: Object.keys(patch), promoted: r.promoted.length });
      return { event: staffEvent(r.event, store.counts(id), clock.now()), promoted: r.promoted.length };
    });

    app.post('/api/admin/health/events/:id/cancel', { ...guard, schema: { params: IdParams } }, async (req, reply) => {
      const { id } = req.params as { id: number };
      const r = service.cancelEvent(id);
      if (!r.ok) return sendFailure(reply, r.reason);
      if (!r.already) auth.audit(req, 'health.event.cancel', `health-event:${id}`);
      return { event: staffEvent(r.event, store.counts(id), clock.now()) };
    });

    app.get('/api/admin/health/events/:id/signups', { ...guard, schema: { params: IdParams } }, async (req, reply) => {
      const { id } = req.params as { id: number };
      const event = store.event(id);
      if (!event) return sendFailure(reply, 'no-event');
      return { event: staffEvent(event, store.counts(id), clock.now()), signups: staffSignups(store.signupsOf(id)) };
    });

    app.get('/api/admin/health/events/:id/signups.csv', { ...guard, schema: { params: IdParams } }, async (req, reply) => {
      const { id } = req.params as { id: number };
      const event = store.event(id);
      if (!event) return sendFailure(reply, 'no-event');
      const signups = store.signupsOf(id);
      const rows = staffSignups(signups);
      const csv = stringify(
        // The full number, from the row itself: this export is the one place it is shown.
        rows.map((s, i) => [s.id, s.status, s.waitlistPosition ?? '', s.people, signups[i]?.phone ?? '', s.code, iso(s.createdAt), iso(s.promotedAt), iso(s.cancelledAt), iso(s.checkedInAt)]),
        // The BOM lets Excel, which the street office uses, read the file as UTF-8.
        { bom: true, header: true, columns: ['signup_id', 'status', 'waitlist_position', 'people', 'phone', 'code', 'signed_up_at', 'promoted_at', 'cancelled_at', 'checked_in_at'] },
      );
      auth.audit(req, 'health.signups.export', `health-event:${id}`, { rows: rows.length });
      return reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="health-event-${id}-signups.csv"`)
        .header('Cache-Control', 'no-store')
        .send(csv);
    });

    app.post('/api/admin/health/signups/:id/attendance', { ...guard, schema: { params: IdParams, body: AttendanceBody } }, async (req, reply) => {
      const { id } = req.params as { id: number };
      const { attended } = req.body as { attended: boolean };
      const r = service.markAttendance(id, attended);
      if (!r.ok) return sendFailure(reply, r.reason);
      auth.audit(req, 'health.attendance', `health-signup:${id}`, { eventId: r.signup.eventId, attended });
      return { signup: staffSignups(store.signupsOf(r.signup.eventId)).find((s) => s.id === id) };
    });

    app.get('/api/admin/health/volunteer-hours', { ...guard, schema: { querystring: DateRange } }, async (req, reply) => {
      const q = req.query as { from?: string; to?: string };
      const r = range(q, reply);
      if (!r) return reply;
      const now = clock.now();
      // Hours given, not promised: only events that took place (not cancelled, already ended) count.
      const held = store.eventsStartingIn(r.from, r.to).filter((e) => !e.cancelled && e.endsAt <= now);
      return { from: q.from ?? null, to: q.to ?? null, hosts: volunteerHours(held) };
    });
  };
}
