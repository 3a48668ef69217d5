import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSiteConfig } from '../../../src/config/load.js';
import { siteTopics } from '../../../src/contract/topics.js';
import { createManualClock } from '../../../src/core/clock.js';
import { createCounters } from '../../../src/core/counters.js';
import { allMigrations } from '../../../src/migrations.js';
import type { OutboxService } from '../../../src/mqtt/outbox-service.js';
import { createDailySummaryModule } from '../../../src/nodered/summary-module.js';
import { openStore, type Store } from '../../../src/store/db.js';
import { createOutbox } from '../../../src/store/outbox.js';
import { memoryLogger, tempDir, useCleanup } from '../../helpers/app.js';

const defer = useCleanup();
const config = loadSiteConfig();
const topics = siteTopics(config.site.id);
const H = 3_600_000;
/** Local Shanghai time (UTC+8), 30 November 2026 or a later day. */
const local = (day: number, h: number, m = 0) => Date.UTC(2026, 10, day, h - 8, m);

/** The real outbox table, never dispatched: what the module queued stays there to be counted. */
function outboxOn(store: Store, now: () => number): OutboxService {
  const outbox = createOutbox(store.db);
  return {
    add: (m) => outbox.add(m, now()),
    publishEvent: (name, payload) => outbox.add({ topic: topics.event(name), payload: JSON.stringify({ ...payload, event: name, at: new Date(now()).toISOString() }), qos: 1, retain: false }, now()),
    kick: () => undefined,
    pending: () => outbox.pending(),
    start: () => undefined,
    stop: async () => undefined,
  };
}

function seed(store: Store) {
  const db = store.db;
  const visits = db.prepare('INSERT INTO lounge_visits_hourly (door_id, hour_start, entries, exits) VALUES (?, ?, ?, ?)');
  visits.run('door-main', local(30, 9), 12, 10);
  visits.run('door-garden', local(30, 9), 3, 4);
  visits.run('door-main', local(30, 20), 5, 6);
  visits.run('door-main', local(29, 23), 40, 40); // the day before
  visits.run('door-main', local(31, 0), 40, 40); // the day after
  db.prepare(`INSERT INTO health_events (id, kind, title_zh, title_en, host, place_zh, place_en, starts_at, ends_at, capacity, signup_opens_at, signup_closes_at, created_at, updated_at)
    VALUES (1, 'lecture', '讲座', 'Talk', 'Dr Li', '客厅', 'Lounge', ?, ?, 20, ?, ?, ?, ?)`).run(local(32, 10), local(32, 11), local(28, 0), local(32, 10), local(28, 0), local(28, 0));
  const signup = db.prepare("INSERT INTO health_signups (event_id, phone, people, code, status, created_at, cancelled_at) VALUES (1, ?, 1, ?, ?, ?, ?)");
  signup.run('13900000001', '1001', 'confirmed', local(30, 8), null);
  signup.run('13900000002', '1002', 'waitlisted', local(30, 19), null);
  signup.run('13900000003', '1003', 'cancelled', local(30, 20), local(30, 20, 30)); // made that day, cancelled later: still a sign-up of the day
  signup.run('13900000004', '1004', 'confirmed', local(29, 23), null); // the day before
  const pickup = db.prepare("INSERT INTO pickups (bin_id, point_id, category, at) VALUES (?, 'p1', 'wet', ?)");
  pickup.run('p1-wet', local(30, 9));
  pickup.run('p1-dry', local(30, 21, 0));
  pickup.run('p1-wet', local(31, 9));
  const concern = db.prepare(`INSERT INTO concerns (ref, state, category, place_id, place_name, raised_at, updated_at, decline_reason, consultation_at, consultation_place, decision, resolution, resolved_at, closed_at)
    VALUES (?, ?, 'noise', 'lounge', '{"zh":"客厅","en":"Lounge"}', ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const t = local(20, 10);
  const place = '{"zh":"客厅","en":"Lounge"}';
  concern.run('AAAAA1', 'raised', t, t, null, null, null, null, null, null, null);
  concern.run('AAAAA2', 'accepted', t, t, null, null, null, null, null, null, null);
  concern.run('AAAAA3', 'in-consultation', t, t, null, t, place, null, null, null, null);
  concern.run('AAAAA4', 'declined', t, t, '{"en":"not ours"}', null, null, null, null, null, t);
  concern.run('AAAAA5', 'resolved', t, t, null, t, place, '{"en":"d"}', '{"en":"r"}', t, null);
}

describe('the daily summary for Node-RED', () => {
  it('is queued once at 21:00 with the day’s figures, and a restart neither repeats nor loses it', () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const file = join(dir, 'tongxin.db');
    const clock = createManualClock(local(30, 20, 59));
    const open = () => {
      const store = openStore(file, memoryLogger('silent').log, allMigrations);
      const logger = memoryLogger();
      const module = createDailySummaryModule({ config, topics, store, clock, log: logger.log, counters: createCounters(), outbox: outboxOn(store, clock.now), clockTrusted: () => true } as never);
      return { store, module, lines: logger.lines };
    };
    const queued = (store: Store) =>
      (store.db.prepare('SELECT topic, payload FROM outbox ORDER BY id').all() as { topic: string; payload: string }[]).map((r) => ({ topic: r.topic, body: JSON.parse(r.payload) as Record<string, unknown> }));

    let s = open();
    seed(s.store);
    s.module.tick();
    expect(queued(s.store)).toEqual([]);
    clock.set(local(30, 21, 0));
    s.module.tick();
    s.module.tick();
    expect(queued(s.store)).toEqual([
      {
        topic: 'tongxin/xianxia-demo/event/summary.daily',
        body: { date: '2026-11-30', visitors: 20, signups: 3, binsEmptied: 2, openConcerns: 3, event: 'summary.daily', at: new Date(local(30, 21)).toISOString() },
      },
    ]);
    expect(s.lines.join('\n')).not.toMatch(/139\d{8}/);
    s.store.close();

    // Restarted the same evening: already sent.
    clock.set(local(30, 22, 30));
    s = open();
    s.module.tick();
    expect(queued(s.store)).toHaveLength(1);
    s.store.close();

    // Down over the next evening, back the morning after: that day's summary is not sent late.
    clock.set(local(32, 8, 0));
    s = open();
    s.module.tick();
    expect(queued(s.store)).toHaveLength(1);
    clock.set(local(32, 21, 0));
    s.module.tick();
    expect(queued(s.store).map((m) => m.body.date)).toEqual(['2026-11-30', '2026-12-02']);
    s.store.close();
  });

  it('waits for a trusted clock', () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const store = openStore(join(dir, 'tongxin.db'), memoryLogger('silent').log, allMigrations);
    defer(() => store.close());
    const clock = createManualClock(local(30, 21, 5));
    let trusted = false;
    const module = createDailySummaryModule({ config, topics, store, clock, log: memoryLogger().log, counters: createCounters(), outbox: outboxOn(store, clock.now), clockTrusted: () => trusted } as never);
    module.tick();
    expect(store.db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 });
    trusted = true;
    clock.advance(H);
    module.tick();
    expect(store.db.prepare('SELECT count(*) AS n FROM daily_summaries').get()).toEqual({ n: 1 });
  });
});
