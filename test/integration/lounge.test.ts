import mqtt, { type MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { createManualClock, type ManualClock } from '../../src/core/clock.js';
import { startTestApp, tempDir, useCleanup, waitFor } from '../helpers/app.js';
import { openSse } from '../helpers/sse.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/**
 * The lounge end to end over real MQTT and HTTP: a client plays the door counters (publishing counts
 * as the simulator and the firmware do), the test drives the service's clock through a day.
 * Demo site: open 08:30–20:30 Asia/Shanghai; doors door-main and door-garden; attendance lead 30 min.
 */
const SITE = 'xianxia-demo';
const MIN = 60_000;
const H = 60 * MIN;
// Monday 30 November 2026 in Shanghai (UTC+8): local(9) is 09:00.
const local = (hour: number, minute = 0, second = 0) => Date.UTC(2026, 10, 30, hour - 8, minute, second);
const defer = useCleanup();

interface Occupancy {
  inside: number;
  visitsToday: number;
  open: boolean;
}

class Doors {
  constructor(
    private client: MqttClient,
    private readonly clock: ManualClock,
    private app: RunningApp,
  ) {}
  reconnect(client: MqttClient, app: RunningApp) {
    this.client = client;
    this.app = app;
  }
  /** Publishes counts at the clock's time (advanced a second each) and waits until the service took them in. */
  async count(sensor: string, values: number[]) {
    const target = this.app.counters.total('readings_accepted') + values.length;
    for (const value of values) {
      this.clock.advance(1000);
      await this.client.publishAsync(`tongxin/${SITE}/sensor/${sensor}/raw`, JSON.stringify({ value, at: this.clock.now() }), { qos: 1 });
    }
    await waitFor(`${values.length} counts taken in`, () => this.app.counters.total('readings_accepted') >= target);
  }
}

/** What a client that subscribes now is given: the retained occupancy. */
async function retained(app: RunningApp): Promise<Occupancy & { at: string }> {
  const c = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
  try {
    const got = new Promise<Occupancy & { at: string }>((resolve) => c.on('message', (_t, p) => resolve(JSON.parse(p.toString()))));
    await c.subscribeAsync(`tongxin/${SITE}/lounge/occupancy`, { qos: 1 });
    return await got;
  } finally {
    await c.endAsync();
  }
}
const retainedIs = (app: RunningApp, expected: Occupancy) =>
  waitFor(`retained occupancy ${JSON.stringify(expected)}`, async () => {
    const r = await retained(app);
    return r.inside === expected.inside && r.visitsToday === expected.visitsToday && r.open === expected.open;
  });
const lounge = async (app: RunningApp) => (await (await call(app, 'GET', '/api/lounge')).json()) as Occupancy & { events: any[]; hours: any };

describe('lounge: footfall, occupancy, visits and attendance', () => {
  it('follows a day at the doors, survives a restart, resets at closing time and counts a health hour', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const clock = createManualClock(local(9));
    let { app } = await startTestApp({ dataDir: dir, clock });
    let stopped = false;
    defer(() => (stopped ? undefined : app.stop()));
    let device = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => device.endAsync());
    const doors = new Doors(device, clock, app);
    const live = await openSse(`${app.httpUrl}/api/live`);
    defer(() => live.close());

    // At start the retained state is published: nobody inside, open.
    expect(await lounge(app)).toMatchObject({ inside: 0, visitsToday: 0, open: true, hours: { open: '08:30', close: '20:30', opensAt: null, closesAt: local(20, 30) } });
    await retainedIs(app, { inside: 0, visitsToday: 0, open: true });

    // Staff create a health hour 14:30–15:30 through the health admin API; four people sign up.
    const staffName = 'lounge-staff';
    await addStaff(app, staffName, 'staff');
    let staff = await loginCookie(app, staffName);
    const created = await call(app, 'POST', '/api/admin/health/events', {
      cookie: staff,
      body: {
        kind: 'lecture',
        title: { zh: '防跌倒讲座', en: 'Fall prevention talk' },
        host: 'Dr Li Na',
        place: { zh: '多功能厅', en: 'Multi-purpose room' },
        startsAt: local(14, 30),
        endsAt: local(15, 30),
        capacity: 10,
      },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const eventId = ((await created.json()) as { event: { id: number } }).event.id;
    const signUp = async (phone: string, people: number) => (await (await call(app, 'POST', `/api/health/events/${eventId}/signups`, { body: { phone, people, consent: true } })).json()) as { code: string };
    const family = await signUp('13900000001', 3);
    await signUp('13900000002', 1);

    // The morning: five through the main door one by one (firmware), two together through the garden
    // door (one reading of 2, as the simulator sends), three leave; a 0 is a heartbeat.
    await doors.count('door-main-in', [1, 1, 1, 1, 1]);
    await doors.count('door-garden-in', [2, 0]);
    await doors.count('door-main-out', [1, 2]);
    expect(await lounge(app)).toMatchObject({ inside: 4, visitsToday: 7, open: true });
    await retainedIs(app, { inside: 4, visitsToday: 7, open: true });
    await waitFor('the kiosk stream heard it', () => live.events.some((e) => e.event === 'lounge' && (e.data as Occupancy).inside === 4));

    // 10:05: more leave than were counted in (a missed entry at a door): clamped at 0 and counted.
    clock.set(local(10, 5));
    await doors.count('door-main-out', [6]);
    expect(await lounge(app)).toMatchObject({ inside: 0, visitsToday: 7 });
    expect(app.counters.get('lounge_missed_entries')).toBe(2);
    // Nonsense from a counter is refused and counted, never added.
    await doors.count('door-main-in', [-1, 2.5]);
    expect(app.counters.get('lounge_counts_rejected', 'not-a-count')).toBe(2);
    expect((await lounge(app)).visitsToday).toBe(7);

    // Around the health hour: 13:59 is before its window (14:00–15:30), 15:30 after it.
    clock.set(local(13, 58, 59));
    await doors.count('door-main-in', [1]);
    clock.set(local(13, 59, 59));
    await doors.count('door-garden-in', [3]);
    const checkIn = await call(app, 'POST', `/api/health/events/${eventId}/checkin`, { body: { lastFour: '0001', code: family.code } });
    expect(checkIn.status, await checkIn.clone().text()).toBe(200);
    clock.set(local(14, 45));
    await doors.count('door-main-in', [1, 1]);
    const during = await lounge(app);
    expect(during.events).toMatchObject([{ id: eventId, signedUp: 4, attendance: { counted: 5, complete: false, window: { from: local(14), to: local(15, 30) } } }]);
    clock.set(local(15, 29, 59));
    await doors.count('door-main-in', [1]);

    // A restart in the afternoon forgets nobody: still 7 inside, 14 visits today.
    expect(await lounge(app)).toMatchObject({ inside: 7, visitsToday: 14 });
    await device.endAsync();
    await app.stop();
    stopped = true;
    clock.set(local(16));
    ({ app } = await startTestApp({ dataDir: dir, clock }));
    stopped = false;
    device = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    doors.reconnect(device, app);
    expect(await lounge(app)).toMatchObject({ inside: 7, visitsToday: 14, open: true });
    await retainedIs(app, { inside: 7, visitsToday: 14, open: true });
    await doors.count('door-garden-out', [1, 1]);

    // Attendance, for staff and the committee: signed up 4, checked in 3, counted at the doors 5.
    staff = await loginCookie(app, staffName);
    const att = await call(app, 'GET', '/api/lounge/attendance?from=2026-11-30&to=2026-11-30', { cookie: staff });
    expect(att.status).toBe(200);
    expect(await att.json()).toMatchObject({
      attendanceMinutes: 30,
      resolution: 'minute',
      events: [{ id: eventId, title: { en: 'Fall prevention talk' }, signedUp: 4, checkedIn: 3, cancelled: false, attendance: { counted: 5, complete: true } }],
    });
    await addStaff(app, 'lounge-committee', 'committee');
    expect((await call(app, 'GET', '/api/lounge/attendance?from=2026-11-01&to=2026-11-29', { cookie: await loginCookie(app, 'lounge-committee') })).status).toBe(200);
    expect((await call(app, 'GET', '/api/lounge/attendance?from=2026-11-30&to=2026-11-30')).status).toBe(401);
    for (const bad of ['from=2026-11-30', 'from=2026-02-30&to=2026-03-01', 'from=2026-12-01&to=2026-11-30', 'from=2025-01-01&to=2026-11-30', 'from=yesterday&to=today']) {
      const res = await call(app, 'GET', `/api/lounge/attendance?${bad}`, { cookie: staff });
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code, bad).toBe('TX_BAD_REQUEST');
    }

    // 20:29:59 still open with 5 inside; at 20:30 the count is reset, and the reset is recorded.
    clock.set(local(20, 29, 59));
    expect(await lounge(app)).toMatchObject({ inside: 5, open: true });
    clock.set(local(20, 30));
    expect(await lounge(app)).toMatchObject({ inside: 0, visitsToday: 14, open: false, hours: { opensAt: local(8, 30) + 24 * H, closesAt: null } });
    await retainedIs(app, { inside: 0, visitsToday: 14, open: false });
    // Two late leavers after closing are not missed entries: they are put against the day's reset.
    await doors.count('door-main-out', [1, 1]);
    expect(app.store.db.prepare('SELECT day, close_at AS closeAt, inside_at_close AS inside, missed_entries AS missed, left_after_close AS leftAfter FROM lounge_daily_resets').all()).toEqual([
      { day: '2026-11-30', closeAt: local(20, 30), inside: 5, missed: 2, leftAfter: 2 },
    ]);

    // Visits per hour, stored by the local hour's start and door, and shown per day and hour.
    const hourly = app.store.db.prepare('SELECT door_id AS door, hour_start AS hour, entries, exits FROM lounge_visits_hourly ORDER BY hour_start, door_id').all();
    expect(hourly).toEqual([
      { door: 'door-garden', hour: local(9), entries: 2, exits: 0 },
      { door: 'door-main', hour: local(9), entries: 5, exits: 3 },
      { door: 'door-main', hour: local(10), entries: 0, exits: 6 },
      { door: 'door-main', hour: local(13), entries: 1, exits: 0 },
      { door: 'door-garden', hour: local(14), entries: 3, exits: 0 },
      { door: 'door-main', hour: local(14), entries: 2, exits: 0 },
      { door: 'door-main', hour: local(15), entries: 1, exits: 0 },
      { door: 'door-garden', hour: local(16), entries: 0, exits: 2 },
      { door: 'door-main', hour: local(20), entries: 0, exits: 2 },
    ]);
    const visits = (await (await call(app, 'GET', '/api/lounge/visits?days=2')).json()) as { days: any[] };
    expect(visits.days.map((d: { date: string; entries: number; exits: number }) => [d.date, d.entries, d.exits])).toEqual([
      ['2026-11-29', 0, 0],
      ['2026-11-30', 14, 13],
    ]);
    expect(visits.days[1]).toMatchObject({
      doors: { 'door-main': { entries: 9, exits: 11 }, 'door-garden': { entries: 5, exits: 2 } },
      reset: { insideAtClose: 5, missedEntries: 2, leftAfterClose: 2 },
    });
    expect(visits.days[1].hours[0]).toEqual({ hourStart: local(9), hour: '09:00', entries: 7, exits: 3, doors: { 'door-main': { entries: 5, exits: 3 }, 'door-garden': { entries: 2, exits: 0 } } });
    for (const bad of ['days=0', 'days=abc', 'days=1000']) expect((await call(app, 'GET', `/api/lounge/visits?${bad}`)).status, bad).toBe(400);

    // Local midnight (16:00 UTC): a new day, no visits yet.
    clock.set(local(24));
    expect(await lounge(app)).toMatchObject({ inside: 0, visitsToday: 0, open: false, events: [] });
    await retainedIs(app, { inside: 0, visitsToday: 0, open: false });
  });
});
