import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createConcernsModule } from '../../../src/concerns/concerns-module.js';
import { createConcernsService } from '../../../src/concerns/concerns-service.js';
import { placesFor } from '../../../src/concerns/places.js';
import { DAY_MS } from '../../../src/concerns/retention.js';
import { loadSiteConfig } from '../../../src/config/load.js';
import { createManualClock } from '../../../src/core/clock.js';
import { allMigrations } from '../../../src/migrations.js';
import type { OutboxService } from '../../../src/mqtt/outbox-service.js';
import { openStore } from '../../../src/store/db.js';
import { memoryLogger, tempDir, useCleanup } from '../../helpers/app.js';

/** The concerns service on a real SQLite file: the privacy job and the table's own guarantees. */
const defer = useCleanup();
const T0 = Date.UTC(2026, 2, 2, 2, 0);
const PHONE = '13912345678';
const text = { zh: '好', en: 'ok' };

function setup(retentionDays = 30) {
  const { dir, remove } = tempDir();
  const { log, lines } = memoryLogger();
  const store = openStore(join(dir, 't.db'), log, allMigrations);
  defer(() => (store.close(), remove()));
  const clock = createManualClock(T0);
  const events: { name: string; payload: Record<string, unknown> }[] = [];
  const outbox = { publishEvent: (name: string, payload: Record<string, unknown>) => void events.push({ name, payload }) } as unknown as OutboxService;
  const places = placesFor(loadSiteConfig());
  const service = createConcernsService({ db: store.db, clock, log, outbox, places: () => places, retentionDays });
  const raise = () => service.raise({ category: 'noise', place: 'lounge', phone: PHONE, consent: true }).row;
  const phoneOf = (id: number) => (store.db.prepare('SELECT phone FROM concerns WHERE id = ?').get(id) as { phone: string | null }).phone;
  return { store, clock, events, service, raise, phoneOf, lines };
}

describe('the privacy job', () => {
  it('deletes a phone retentionDays after the concern closed (declined, rated, or resolved and unrated for 30 days), never before', () => {
    const { service, clock, raise, phoneOf, store } = setup(30);
    const declined = raise();
    const rated = raise();
    const unrated = raise();
    const open = raise();
    service.decline(declined.id, 'chen', text);
    for (const c of [rated, unrated]) {
      service.accept(c.id, 'chen');
      service.schedule(c.id, 'chen', T0 + DAY_MS, text);
      service.resolve(c.id, 'chen', text, text);
    }
    service.accept(open.id, 'chen');
    clock.advance(DAY_MS);
    service.rate(rated.ref, 4, undefined);

    expect(service.purgePhones(T0 + 30 * DAY_MS - 1)).toBe(0);
    expect(service.purgePhones(T0 + 30 * DAY_MS)).toBe(1); // declined at T0
    expect(phoneOf(declined.id)).toBeNull();
    expect(service.purgePhones(T0 + 31 * DAY_MS - 1)).toBe(0);
    expect(service.purgePhones(T0 + 31 * DAY_MS)).toBe(1); // rated at T0 + 1 day
    expect(phoneOf(rated.id)).toBeNull();
    expect(phoneOf(unrated.id)).toBe(PHONE);
    expect(service.purgePhones(T0 + 60 * DAY_MS)).toBe(1); // resolved at T0, closed for privacy 30 days later
    expect(phoneOf(unrated.id)).toBeNull();
    expect(service.purgePhones(T0 + 10_000 * DAY_MS)).toBe(0);
    expect(phoneOf(open.id)).toBe(PHONE); // still open: the committee may call back
    const h = service.store.history(declined.id).at(-1);
    expect(h).toMatchObject({ actor: 'system', action: 'phone-deleted', at: T0 + 30 * DAY_MS });
    expect(store.db.prepare('SELECT phone_consent_at AS c, phone_deleted_at AS d FROM concerns WHERE id = ?').get(declined.id)).toEqual({ c: null, d: T0 + 30 * DAY_MS });
  });

  it('with 0 retention days the phone goes at the first run after closing', () => {
    const { service, raise, phoneOf } = setup(0);
    const c = raise();
    expect(service.purgePhones()).toBe(0);
    service.decline(c.id, 'chen', text);
    expect(service.purgePhones()).toBe(1);
    expect(phoneOf(c.id)).toBeNull();
  });
});

describe('the concerns table', () => {
  it('refuses rows whose state lacks what it needs, and phones without consent or malformed', () => {
    const { store, raise } = setup();
    const c = raise();
    const bad = [
      `UPDATE concerns SET state = 'declined' WHERE id = ${c.id}`,
      `UPDATE concerns SET state = 'resolved' WHERE id = ${c.id}`,
      `UPDATE concerns SET state = 'rated', closed_at = 1 WHERE id = ${c.id}`,
      `UPDATE concerns SET phone_consent_at = NULL WHERE id = ${c.id}`,
      `UPDATE concerns SET phone = '1391234567' WHERE id = ${c.id}`,
      `UPDATE concerns SET category = 'parking' WHERE id = ${c.id}`,
      `UPDATE concerns SET place_other = 'x' WHERE id = ${c.id}`,
      `UPDATE concerns SET words = '${'字'.repeat(501)}' WHERE id = ${c.id}`,
      `UPDATE concerns SET state = 'closed' WHERE id = ${c.id}`,
    ];
    for (const sql of bad) expect(() => store.db.exec(sql), sql).toThrow(/CHECK constraint failed/);
    expect(() => store.db.exec(`INSERT INTO concern_history (concern_id, at, actor, action, to_state) VALUES (9999, 1, 'x', 'raise', 'raised')`)).toThrow(/FOREIGN KEY/);
  });

  it('writes each step, its history line and its event together, and leaves nothing when a step is refused', () => {
    const { service, raise, events } = setup();
    const c = raise();
    expect(() => service.resolve(c.id, 'chen', text, text)).toThrow(/cannot be resolved/);
    expect(service.store.byId(c.id)?.state).toBe('raised');
    expect(service.store.history(c.id).map((h) => h.action)).toEqual(['raise']);
    expect(events.map((e) => e.name)).toEqual(['concern.created']);
    service.accept(c.id, 'chen');
    expect(service.store.history(c.id).map((h) => `${h.actor} ${h.action} ${h.fromState}→${h.toState}`)).toEqual(['resident raise null→raised', 'chen accept raised→accepted']);
    expect(JSON.stringify(events)).not.toContain(PHONE);
    expect(JSON.stringify(events)).not.toContain(c.ref);
  });
});

describe('the concerns module', () => {
  it('runs the privacy job at start and then every hour', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    defer(() => vi.useRealTimers());
    const { store, clock, raise, service, phoneOf } = setup();
    const config = { ...loadSiteConfig(), privacy: { phoneRetentionDays: 1 } };
    const outbox = { publishEvent: () => undefined } as unknown as OutboxService;
    const deps = { config, store, clock, log: memoryLogger().log, outbox, auth: { requireRole: () => Object.assign(async () => undefined, { roles: [] }) } };
    const module = createConcernsModule(deps as never);
    const early = raise();
    service.decline(early.id, 'chen', text);
    clock.advance(DAY_MS);
    module.start();
    defer(() => module.stop());
    expect(phoneOf(early.id)).toBeNull(); // at start

    const late = raise();
    service.decline(late.id, 'chen', text);
    clock.advance(DAY_MS);
    expect(phoneOf(late.id)).toBe(PHONE);
    vi.advanceTimersByTime(3_600_000);
    expect(phoneOf(late.id)).toBeNull(); // at the next hourly run
    expect(module.purgePhones()).toBe(0);
  });
});
