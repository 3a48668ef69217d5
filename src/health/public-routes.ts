import type { FastifyPluginAsync } from 'fastify';
import type { SiteConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { Counters } from '../core/counters.js';
import type { Logger } from '../core/log.js';
import { maskPhone, normalisePhone } from '../core/phone.js';
import { publicRateLimit } from '../http/rate-limits.js';
import type { HealthService } from './health-service.js';
import type { HealthStore } from './health-store.js';
import { createCodeAttempts } from './code-attempts.js';
import { sendFailure } from './messages.js';
import { CodeBody, eventSummary, IdParams, publicEvent, signupBody } from './views.js';

/**
 * The kiosk's health-hour endpoints: no login, validated, rate-limited. Anything carrying a phone
 * number is a POST body, never a URL; answers show the number masked.
 */
export function publicHealthRoutes(d: { config: SiteConfig; clock: Clock; store: HealthStore; service: HealthService; log: Logger; counters: Counters }): FastifyPluginAsync {
  const { config, clock, store, service, log, counters } = d;
  const { rateLimit } = publicRateLimit(config.http.publicRateLimitPerMinute);
  const attempts = createCodeAttempts();
  /** Runs a code-checked action, refusing it while this event and last four are blocked for guessing. */
  const withCode = <R extends { ok: boolean; reason?: string }>(id: number, lastFour: string, action: () => R): R | { ok: false; reason: 'too-many-attempts' } => {
    const now = clock.now();
    if (attempts.blocked(id, lastFour, now)) return { ok: false, reason: 'too-many-attempts' };
    const r = action();
    if (r.ok) attempts.succeeded(id, lastFour);
    else if (r.reason === 'no-signup') {
      attempts.failed(id, lastFour, now);
      counters.inc('health_code_failures');
    }
    return r;
  };
  return async (app) => {
    app.get('/api/health/events', { config: { rateLimit } }, async () => {
      const now = clock.now();
      return { now, events: store.eventsEndingAfter(now).map((e) => publicEvent(e, store.counts(e.id), now)) };
    });

    app.get('/api/health/events/:id', { schema: { params: IdParams }, config: { rateLimit } }, async (req, reply) => {
      const { id } = req.params as { id: number };
      const event = store.event(id);
      if (!event) return sendFailure(reply, 'no-event');
      return { event: publicEvent(event, store.counts(id), clock.now()) };
    });

    app.post(
      '/api/health/events/:id/signups',
      { schema: { params: IdParams, body: signupBody(config.health.maxPeoplePerSignup) }, config: { rateLimit } },
      async (req, reply) => {
        const { id } = req.params as { id: number };
        const body = req.body as { phone: string; consent?: boolean; people: number };
        if (body.consent !== true) return sendFailure(reply, 'no-consent');
        const phone = normalisePhone(body.phone);
        if (!phone) return sendFailure(reply, 'bad-phone');
        const r = service.signUp({ eventId: id, phone, people: body.people });
        if (!r.ok) {
          counters.inc('health_signups_refused', r.reason);
          return sendFailure(reply, r.reason);
        }
        // Committed (and synced) by now: only now may the resident be told so.
        counters.inc('health_signups', r.signup.status);
        log.info({ eventId: id, signupId: r.signup.id, status: r.signup.status, people: r.signup.people }, 'sign-up accepted');
        return reply.code(201).send({
          signupId: r.signup.id,
          status: r.signup.status,
          ...(r.waitlistPosition !== undefined ? { waitlistPosition: r.waitlistPosition } : {}),
          code: r.signup.code,
          phone: maskPhone(phone),
          people: r.signup.people,
          event: eventSummary(r.event),
        });
      },
    );

    app.post('/api/health/events/:id/cancel', { schema: { params: IdParams, body: CodeBody }, config: { rateLimit } }, async (req, reply) => {
      const { id } = req.params as { id: number };
      const { lastFour, code } = req.body as { lastFour: string; code: string };
      const r = withCode(id, lastFour, () => service.cancel(id, lastFour, code));
      if (!r.ok) return sendFailure(reply, r.reason);
      log.info({ eventId: id, signupId: r.signup.id, promoted: r.promoted.length }, 'sign-up cancelled');
      return { signupId: r.signup.id, status: r.signup.status, people: r.signup.people };
    });

    app.post('/api/health/events/:id/checkin', { schema: { params: IdParams, body: CodeBody }, config: { rateLimit } }, async (req, reply) => {
      const { id } = req.params as { id: number };
      const { lastFour, code } = req.body as { lastFour: string; code: string };
      const r = withCode(id, lastFour, () => service.checkIn(id, lastFour, code));
      if (!r.ok) return sendFailure(reply, r.reason);
      const event = store.event(id);
      return {
        signupId: r.signup.id,
        status: r.signup.status,
        people: r.signup.people,
        checkedInAt: r.signup.checkedInAt,
        alreadyCheckedIn: r.already,
        ...(event ? { event: eventSummary(event) } : {}),
      };
    });
  };
}
