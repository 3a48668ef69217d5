import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSiteConfig } from '../../../src/config/load.js';
import type { SiteConfig } from '../../../src/config/schema.js';
import { createManualClock } from '../../../src/core/clock.js';
import { createHealthService } from '../../../src/health/health-service.js';
import { createHealthStore, type EventInput } from '../../../src/health/health-store.js';
import { allMigrations } from '../../../src/migrations.js';
import type { OutboxService } from '../../../src/mqtt/outbox-service.js';
import { openStore } from '../../../src/store/db.js';
import type { OutboxMessage } from '../../../src/store/outbox.js';
import { memoryLogger, tempDir, useCleanup } from '../../helpers/app.js';

/** The transactions of health hours against a real SQLite file (no HTTP): invariants, triggers, the privacy job. */
const defer = useCleanup();
const H = 3_600_000;
const DAY = 24 * H;
const T0 = Date.UTC(2026, 10, 23, 2, 0); // Monday 2026-11-23 10:00 in Shanghai

function setup(opts: { config?: SiteConfig; publish?: (name: string, payload: Record<string, unknown>) => void } = {}) {
  const { dir, remove } = tempDir();
  defer(remove);
  const store = openStore(join(dir, 'tongxin.db'), memoryLogger('silent').log, allMigrations);
  defer(() => store.close());
  const events: { name: string; payload: Record<string, unknown> }[] = [];
  const added: OutboxMessage[] = [];
  const outbox = {
    publishEvent: (name: string, payload: Record<string, unknown>) => {
      opts.publish?.(name, payload);
      events.push({ name, payload });
    },
    add: (m: OutboxMessage) => void added.push(m),
  } as unknown as OutboxService;
  const clock = createManualClock(T0);
  const config = opts.config ?? loadSiteConfig();
  const hs = createHealthStore(store.db);
  const service = createHealthService({ db: store.db, store: hs, outbox, config, clock });
  const addEvent = (over: Partial<EventInput> = {}) => {
    const r = service.createEvent({
      kind: 'lecture',
      title: { zh: '讲座', en: 'Talk' },
      description: { zh: '', en: '' },
      host: 'Dr Li',
      place: { zh: '客厅', en: 'Lounge' },
      startsAt: T0 + 2 * DAY,
      endsAt: T0 + 2 * DAY + 2 * H,
      capacity: 10,
      signupOpensAt: T0 - H,
      signupClosesAt: T0 + 2 * DAY,
      ...over,
    });
    if (!r.ok) throw new Error(r.reason);
    return r.event;
  };
  return { db: store.db, hs, service, clock, events, added, addEvent, config };
}

const phone = (n: number) => `139${String(n).padStart(8, '0')}`;

describe('health service', () => {
  it('the database itself refuses over capacity, a second active sign-up per phone, un-cancelling and shrinking below confirmed', () => {
    const { db, addEvent, service } = setup();
    const e = addEvent({ capacity: 2 });
    const insert = db.prepare('INSERT INTO health_signups (event_id, phone, people, code, status, created_at) VALUES (?, ?, ?, ?, ?, 0)');
    insert.run(e.id, phone(1), 2, '1111', 'confirmed');
    expect(() => insert.run(e.id, phone(2), 1, '2222', 'confirmed')).toThrow(/capacity exceeded/);
    expect(() => insert.run(e.id, phone(1), 1, '3333', 'waitlisted')).toThrow(/UNIQUE/);
    expect(() => insert.run(e.id, phone(3), 1, '1111', 'waitlisted')).toThrow(/UNIQUE/);
    expect(() => db.prepare('UPDATE health_events SET capacity = 1 WHERE id = ?').run(e.id)).toThrow(/below the people already confirmed/);
    const w = Number(insert.run(e.id, phone(4), 1, '4444', 'waitlisted').lastInsertRowid);
    expect(() => db.prepare("UPDATE health_signups SET status = 'confirmed' WHERE id = ?").run(w)).toThrow(/capacity exceeded/);
    db.prepare("UPDATE health_signups SET status = 'cancelled', cancelled_at = 1 WHERE id = ?").run(w);
    expect(() => db.prepare("UPDATE health_signups SET status = 'waitlisted', cancelled_at = NULL WHERE id = ?").run(w)).toThrow(/stays cancelled/);
    expect(service.updateEvent(e.id, { capacity: 1 })).toEqual({ ok: false, reason: 'capacity-below-confirmed' });
  });

  it('a sign-up and its outbox message commit together or not at all', () => {
    let fail = true;
    const { addEvent, service, hs } = setup({
      publish: () => {
        if (fail) throw new Error('disk full');
      },
    });
    const e = addEvent();
    expect(() => service.signUp({ eventId: e.id, phone: phone(1), people: 1 })).toThrow('disk full');
    expect(hs.signupsOf(e.id)).toEqual([]);
    fail = false;
    expect(service.signUp({ eventId: e.id, phone: phone(1), people: 1 })).toMatchObject({ ok: true, signup: { status: 'confirmed' } });
  });

  it('keeps its invariants under any sequence of sign-ups, cancellations and capacity changes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            { weight: 5, arbitrary: fc.record({ op: fc.constant('signup' as const), who: fc.integer({ min: 0, max: 15 }), people: fc.integer({ min: 1, max: 4 }) }) },
            { weight: 3, arbitrary: fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }) },
            { weight: 1, arbitrary: fc.record({ op: fc.constant('capacity' as const), capacity: fc.integer({ min: 1, max: 12 }) }) },
          ),
          { minLength: 10, maxLength: 60, size: 'max' },
        ),
        (ops) => {
          const { addEvent, service, hs } = setup({ config: { ...loadSiteConfig(), health: { maxPeoplePerSignup: 4, maxPlacesPerPhonePerWeek: 100, checkInOpensMinutesBefore: 30 } } });
          const e = addEvent({ capacity: 6 });
          for (const o of ops) {
            if (o.op === 'signup') service.signUp({ eventId: e.id, phone: phone(o.who), people: o.people });
            if (o.op === 'capacity') service.updateEvent(e.id, { capacity: o.capacity });
            if (o.op === 'cancel') {
              const active = hs.signupsOf(e.id).filter((s) => s.status !== 'cancelled');
              const s = active[o.pick % Math.max(1, active.length)];
              if (s) expect(service.cancel(e.id, s.phone!.slice(-4), s.code).ok).toBe(true);
            }
            const event = hs.event(e.id)!;
            const all = hs.signupsOf(e.id);
            const confirmed = all.filter((s) => s.status === 'confirmed').reduce((n, s) => n + s.people, 0);
            expect(confirmed).toBeLessThanOrEqual(event.capacity);
            // Nobody waits who would fit into the places left.
            for (const s of all) if (s.status === 'waitlisted') expect(s.people).toBeGreaterThan(event.capacity - confirmed);
            const activePhones = all.filter((s) => s.status !== 'cancelled').map((s) => s.phone);
            expect(new Set(activePhones).size).toBe(activePhones.length);
            expect(new Set(all.map((s) => s.code)).size).toBe(all.length);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('cancelling promotes the first waiters that fit, in order, and publishes signup.promoted, with the phone only on private/', () => {
    const { addEvent, service, events, added } = setup();
    const e = addEvent({ capacity: 4 });
    const a = service.signUp({ eventId: e.id, phone: phone(1), people: 3 });
    service.signUp({ eventId: e.id, phone: phone(2), people: 1 });
    const big = service.signUp({ eventId: e.id, phone: phone(3), people: 4 });
    const small = service.signUp({ eventId: e.id, phone: phone(4), people: 2 });
    expect([big.ok && big.waitlistPosition, small.ok && small.waitlistPosition]).toEqual([1, 2]);
    if (!a.ok || !small.ok || !big.ok) throw new Error('sign-up failed');
    const c = service.cancel(e.id, phone(1).slice(-4), a.signup.code);
    expect(c).toMatchObject({ ok: true, promoted: [small.signup.id] });
    expect(events.filter((m) => m.name === 'signup.promoted').map((m) => m.payload)).toEqual([
      expect.objectContaining({ eventId: e.id, signupId: small.signup.id, people: 2 }),
    ]);
    // The phone goes only in the private message, which the broker gives to the service and Node-RED alone.
    expect(added.map((m) => [m.topic, JSON.parse(m.payload), m.retain])).toEqual([
      ['tongxin/xianxia-demo/private/signup.promoted', expect.objectContaining({ eventId: e.id, signupId: small.signup.id, people: 2, phone: phone(4), event: 'signup.promoted' }), false],
    ]);
    for (const m of events) expect(JSON.stringify(m.payload)).not.toMatch(/\d{11}/);
    // More places let the big group in.
    expect(service.updateEvent(e.id, { capacity: 7 })).toMatchObject({ ok: true, promoted: [big.signup.id] });
  });

  it('the per-week limit counts places across events of the same local week, not the next week nor cancelled events', () => {
    const { addEvent, service } = setup(); // maxPlacesPerPhonePerWeek 4 in the demo site
    const sunday = addEvent({ startsAt: Date.UTC(2026, 10, 29, 14), endsAt: Date.UTC(2026, 10, 29, 15), signupClosesAt: Date.UTC(2026, 10, 29, 14) }); // Sun 22:00 local
    const wednesday = addEvent();
    const nextMonday = addEvent({ startsAt: Date.UTC(2026, 10, 29, 16, 30), endsAt: Date.UTC(2026, 10, 29, 18), signupClosesAt: Date.UTC(2026, 10, 29, 16) }); // Mon 00:30 local
    expect(service.signUp({ eventId: wednesday.id, phone: phone(7), people: 3 }).ok).toBe(true);
    expect(service.signUp({ eventId: sunday.id, phone: phone(7), people: 2 })).toEqual({ ok: false, reason: 'week-limit' });
    expect(service.signUp({ eventId: nextMonday.id, phone: phone(7), people: 4 }).ok).toBe(true);
    expect(service.signUp({ eventId: sunday.id, phone: phone(7), people: 1 }).ok).toBe(true);
    const thursday = addEvent({ startsAt: T0 + 3 * DAY, endsAt: T0 + 3 * DAY + H, signupClosesAt: T0 + 3 * DAY });
    expect(service.signUp({ eventId: thursday.id, phone: phone(7), people: 3 })).toEqual({ ok: false, reason: 'week-limit' });
    expect(service.cancelEvent(wednesday.id).ok).toBe(true);
    expect(service.signUp({ eventId: thursday.id, phone: phone(7), people: 3 }).ok).toBe(true);
  });

  it('the privacy job deletes phone numbers only after the retention days, keeping the rows', () => {
    const { addEvent, service, hs, clock, config } = setup();
    const e = addEvent();
    service.signUp({ eventId: e.id, phone: phone(1), people: 2 });
    const retention = config.privacy.phoneRetentionDays * DAY;
    clock.set(e.endsAt + retention);
    expect(service.purgePhones(clock.now())).toBe(0);
    expect(hs.signupsOf(e.id)[0]!.phone).toBe(phone(1));
    clock.advance(1);
    expect(service.purgePhones(clock.now())).toBe(1);
    expect(hs.signupsOf(e.id)).toMatchObject([{ phone: null, people: 2, status: 'confirmed' }]);
    expect(hs.counts(e.id).confirmedPeople).toBe(2);
    expect(service.purgePhones(clock.now())).toBe(0);
  });
});

describe('health module', () => {
  it('runs the privacy job at start and then every hour', async () => {
    const { vi } = await import('vitest');
    const { createHealthModule } = await import('../../../src/health/health-module.js');
    const { createCounters } = await import('../../../src/core/counters.js');
    const { dir, remove } = tempDir();
    defer(remove);
    const store = openStore(join(dir, 'tongxin.db'), memoryLogger('silent').log, allMigrations);
    defer(() => store.close());
    const clock = createManualClock(T0);
    const logger = memoryLogger();
    const config = loadSiteConfig();
    const outbox = { publishEvent() {} } as unknown as OutboxService;
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    defer(() => vi.useRealTimers());
    const module = createHealthModule({ config, store, clock, log: logger.log, counters: createCounters(), outbox } as never);
    const r = module.service.createEvent({
      kind: 'music-therapy', title: { zh: '音乐', en: 'Music' }, description: { zh: '', en: '' }, host: 'Ms Wu', place: { zh: '客厅', en: 'Lounge' },
      startsAt: T0 + H, endsAt: T0 + 2 * H, capacity: 3, signupOpensAt: T0 - H, signupClosesAt: T0 + H,
    });
    if (!r.ok) throw new Error(r.reason);
    module.service.signUp({ eventId: r.event.id, phone: phone(5), people: 1 });
    const phoneOf = () => (store.db.prepare('SELECT phone FROM health_signups').get() as { phone: string | null }).phone;
    clock.set(T0 + 2 * H + config.privacy.phoneRetentionDays * DAY + 1);
    expect(phoneOf()).toBe(phone(5));
    await module.start();
    defer(() => module.stop());
    expect(phoneOf()).toBeNull();
    expect(logger.lines.some((l) => l.includes('phone numbers of past events deleted'))).toBe(true);

    store.db.prepare('UPDATE health_signups SET phone = ?').run(phone(5)); // as if a number came back
    vi.advanceTimersByTime(59 * 60_000);
    expect(phoneOf()).toBe(phone(5));
    vi.advanceTimersByTime(60_000);
    expect(phoneOf()).toBeNull();
    expect(logger.lines.join('\n')).not.toContain(phone(5).slice(3));
  });
});
