import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { SiteConfig } from '../../src/config/schema.js';
import { createManualClock } from '../../src/core/clock.js';
import { noderedLogin, noderedUser } from '../helpers/nodered.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../helpers/app.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/** Health hours over real HTTP: events, sign-up rules, waitlist and promotion, check-in, staff views, privacy. */
const defer = useCleanup();
const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
const T0 = Date.UTC(2026, 10, 23, 2, 0); // Monday 2026-11-23 10:00 in Shanghai
const phone = (n: number) => `139${String(n).padStart(8, '0')}`;

async function boot(opts: { config?: (dir: string) => Promise<SiteConfig>; dir?: string; clock?: ReturnType<typeof createManualClock> } = {}) {
  const dir = opts.dir ?? (() => {
    const t = tempDir();
    defer(t.remove);
    return t.dir;
  })();
  const clock = opts.clock ?? createManualClock(T0);
  const config = opts.config ? await opts.config(dir) : testConfig(dir);
  const { app, logLines } = await startTestApp({ dataDir: dir, clock, config });
  defer(() => app.stop());
  const name = `s${Math.random().toString(36).slice(2, 8)}`;
  await addStaff(app, name, 'staff');
  const staff = await loginCookie(app, name);
  // A staff session ends after 8 idle hours: after moving the clock further, log in again.
  return { app, clock, staff, logLines, dir, login: () => loginCookie(app, name) };
}

const eventBody = (over: Record<string, unknown> = {}) => ({
  kind: 'doctor-consultation',
  title: { zh: '高血压咨询', en: 'Blood pressure consultation' },
  description: { zh: '社区医生答疑', en: 'Questions to a community doctor' },
  host: 'Dr Zhang Wei',
  place: { zh: '客厅健康角', en: 'Lounge health corner' },
  startsAt: T0 + 2 * DAY,
  endsAt: T0 + 2 * DAY + 2 * H,
  capacity: 5,
  signupOpensAt: T0 - H,
  signupClosesAt: T0 + 2 * DAY - H,
  ...over,
});

async function createEvent(app: RunningApp, staff: string, over: Record<string, unknown> = {}) {
  const res = await call(app, 'POST', '/api/admin/health/events', { cookie: staff, body: eventBody(over) });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { event: { id: number } }).event;
}

const signUp = (app: RunningApp, eventId: number, body: Record<string, unknown>) => call(app, 'POST', `/api/health/events/${eventId}/signups`, { body: { consent: true, ...body } });
const auditActions = (app: RunningApp) => (app.store.db.prepare('SELECT action, target FROM audit_log ORDER BY id').all() as { action: string; target: string }[]).map((a) => `${a.action} ${a.target ?? ''}`.trim());

describe('health hours', () => {
  it('staff create an event; the kiosk lists it; sign-up validates, confirms, waitlists whole groups and refuses a second sign-up', async () => {
    const { app, staff, logLines } = await boot();
    const ev = await createEvent(app, staff);
    const list = (await (await call(app, 'GET', '/api/health/events')).json()) as { events: any[] };
    expect(list.events).toMatchObject([{ id: ev.id, placesLeft: 5, signup: { open: true, phase: 'open' }, host: 'Dr Zhang Wei', cancelled: false }]);

    const bad = await signUp(app, ev.id, { phone: '12345' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: 'TX_BAD_PHONE', message: expect.stringContaining('11-digit') });
    const noConsent = await call(app, 'POST', `/api/health/events/${ev.id}/signups`, { body: { phone: phone(1) } });
    expect(noConsent.status).toBe(400);
    expect((await noConsent.json()).error.code).toBe('TX_CONSENT_REQUIRED');
    expect((await signUp(app, ev.id, { phone: phone(1), consent: false })).status).toBe(400);
    expect((await signUp(app, ev.id, { phone: phone(1), people: 7 })).status).toBe(400); // demo maxPeoplePerSignup 6
    expect((await signUp(app, ev.id, { phone: phone(1), people: 0 })).status).toBe(400);
    expect((await signUp(app, ev.id, { phone: phone(1), name: 'Li' })).status).toBe(400);
    expect((await signUp(app, 9999, { phone: phone(1) })).status).toBe(404);

    const first = await signUp(app, ev.id, { phone: '+86 139-0000-0001', people: 3 });
    expect(first.status).toBe(201);
    const a = await first.json();
    expect(a).toEqual({
      signupId: expect.any(Number),
      status: 'confirmed',
      code: expect.stringMatching(/^\d{4}$/),
      phone: '139****0001',
      people: 3,
      event: { id: ev.id, title: { zh: '高血压咨询', en: 'Blood pressure consultation' }, startsAt: T0 + 2 * DAY, endsAt: T0 + 2 * DAY + 2 * H, place: { zh: '客厅健康角', en: 'Lounge health corner' } },
    });
    expect((await (await signUp(app, ev.id, { phone: phone(1) })).json()).error.code).toBe('TX_ALREADY_SIGNED_UP');
    // 2 places left: a group of 3 waits whole, one person after it is confirmed.
    const group = await (await signUp(app, ev.id, { phone: phone(2), people: 3 })).json();
    expect(group).toMatchObject({ status: 'waitlisted', waitlistPosition: 1, people: 3 });
    expect(await (await signUp(app, ev.id, { phone: phone(3), people: 2 })).json()).toMatchObject({ status: 'confirmed' });
    expect(await (await signUp(app, ev.id, { phone: phone(4), people: 1 })).json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    expect((await (await signUp(app, ev.id, { phone: phone(5), people: 6 })).json()).error.code).toBe('TX_GROUP_TOO_LARGE');

    const one = (await (await call(app, 'GET', `/api/health/events/${ev.id}`)).json()) as { event: any };
    expect(one.event).toMatchObject({ placesLeft: 0, waitlistedPeople: 4 });
    expect(logLines.join('\n')).toContain('sign-up accepted');
    for (const n of [1, 2, 3, 4]) expect(logLines.join('\n')).not.toContain(phone(n).slice(3));
  });

  it('sign-up is refused before opening, after closing and for a cancelled event (the staff cancellation is audited)', async () => {
    const { app, clock, login } = await boot();
    let staff = await login();
    const later = await createEvent(app, staff, { signupOpensAt: T0 + H });
    expect((await (await signUp(app, later.id, { phone: phone(1) })).json()).error.code).toBe('TX_SIGNUP_NOT_OPEN');
    clock.set(T0 + H);
    expect((await signUp(app, later.id, { phone: phone(1) })).status).toBe(201);
    clock.set(T0 + 2 * DAY - H);
    staff = await login();
    expect((await (await signUp(app, later.id, { phone: phone(2) })).json()).error.code).toBe('TX_SIGNUP_CLOSED');
    const other = await createEvent(app, staff, { startsAt: T0 + 3 * DAY, endsAt: T0 + 3 * DAY + H, signupClosesAt: T0 + 3 * DAY });
    expect((await call(app, 'POST', `/api/admin/health/events/${other.id}/cancel`, { cookie: staff })).status).toBe(200);
    const refused = await signUp(app, other.id, { phone: phone(3) });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatchObject({ code: 'TX_EVENT_CANCELLED', text: { zh: expect.any(String), en: expect.any(String) } });
    expect(auditActions(app).filter((a) => a.startsWith('health.'))).toEqual([
      `health.event.create health-event:${later.id}`,
      `health.event.create health-event:${other.id}`,
      `health.event.cancel health-event:${other.id}`,
    ]);
    const patched = await call(app, 'PATCH', `/api/admin/health/events/${other.id}`, { cookie: staff, body: { capacity: 9 } });
    expect(patched.status).toBe(409);
    const edit = await call(app, 'PATCH', `/api/admin/health/events/${later.id}`, { cookie: staff, body: { title: { zh: '新讲座', en: 'New talk' }, capacity: 8 } });
    expect(await edit.json()).toMatchObject({ event: { id: later.id, title: { en: 'New talk' }, capacity: 8, counts: { confirmedPeople: 1 } }, promoted: 0 });
    expect(auditActions(app)).toContain(`health.event.update health-event:${later.id}`);
    expect((await call(app, 'PATCH', `/api/admin/health/events/${later.id}`, { cookie: staff, body: { capacity: 0 } })).status).toBe(400);
    const badTimes = await call(app, 'POST', '/api/admin/health/events', { cookie: staff, body: eventBody({ endsAt: T0 }) });
    expect(badTimes.status).toBe(400);
    expect((await badTimes.json()).error.details.map((d: { message: string }) => d.message)).toEqual(['endsAt must be after startsAt', 'signupClosesAt must not be after endsAt']);
    expect((await call(app, 'POST', '/api/admin/health/events', { cookie: staff, body: eventBody({ startsAt: 1e300 }) })).status).toBe(400);
    expect((await call(app, 'POST', '/api/admin/health/events', { cookie: staff, body: eventBody({ kind: 'party' }) })).status).toBe(400);
    expect((await call(app, 'GET', '/api/health/events/abc')).status).toBe(400);
  });

  it('the per-week limit spans events of the same local week but not the next week', async () => {
    const { app, staff } = await boot(); // maxPlacesPerPhonePerWeek 4
    const wed = await createEvent(app, staff);
    const sun = await createEvent(app, staff, { startsAt: Date.UTC(2026, 10, 29, 12), endsAt: Date.UTC(2026, 10, 29, 13), signupClosesAt: Date.UTC(2026, 10, 29, 12) });
    const nextMon = await createEvent(app, staff, { startsAt: Date.UTC(2026, 10, 30, 1), endsAt: Date.UTC(2026, 10, 30, 2), signupClosesAt: Date.UTC(2026, 10, 30, 1) });
    expect((await signUp(app, wed.id, { phone: phone(9), people: 3 })).status).toBe(201);
    const over = await signUp(app, sun.id, { phone: phone(9), people: 2 });
    expect(over.status).toBe(409);
    expect((await over.json()).error.code).toBe('TX_WEEK_LIMIT');
    expect((await signUp(app, sun.id, { phone: phone(9), people: 1 })).status).toBe(201);
    expect((await signUp(app, nextMon.id, { phone: phone(9), people: 4 })).status).toBe(201);
  });

  it('cancellation with last four + code promotes the first waiter that fits and tells Node-RED; check-in has its window', async () => {
    const nodered = await noderedUser();
    const { app, clock, login } = await boot({ config: (dir) => demoConfigWith((doc) => (doc.mqtt.users = [nodered])).then((c) => testConfig(dir, {}, c)) });
    let staff = await login();
    const watcher = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0, ...noderedLogin });
    defer(() => watcher.endAsync());
    await watcher.subscribeAsync(['tongxin/xianxia-demo/event/#', 'tongxin/xianxia-demo/private/#'], { qos: 1 });
    const seen: { topic: string; body: any }[] = [];
    watcher.on('message', (topic, payload) => seen.push({ topic, body: JSON.parse(payload.toString()) }));
    // A curious anonymous client on the lounge's loopback listener sees events, but never a phone.
    const curious = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => curious.endAsync());
    await curious.subscribeAsync('tongxin/xianxia-demo/#', { qos: 1 });
    const curiousSaw: string[] = [];
    curious.on('message', (topic, payload) => curiousSaw.push(`${topic} ${payload.toString()}`));

    const ev = await createEvent(app, staff, { capacity: 2 });
    const a = await (await signUp(app, ev.id, { phone: phone(1), people: 2 })).json();
    const big = await (await signUp(app, ev.id, { phone: phone(2), people: 2 })).json();
    expect(big.status).toBe('waitlisted');
    const small = await (await signUp(app, ev.id, { phone: phone(3), people: 1 })).json();
    expect(small).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });

    const wrong = await call(app, 'POST', `/api/health/events/${ev.id}/cancel`, { body: { lastFour: '9999', code: a.code } });
    expect(wrong.status).toBe(404);
    expect((await call(app, 'POST', `/api/health/events/${ev.id}/cancel`, { body: { lastFour: '0001', code: 'abcd' } })).status).toBe(400);
    const ok = await call(app, 'POST', `/api/health/events/${ev.id}/cancel`, { body: { lastFour: '0001', code: a.code } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ signupId: a.signupId, status: 'cancelled' });
    expect((await call(app, 'POST', `/api/health/events/${ev.id}/cancel`, { body: { lastFour: '0001', code: a.code } })).status).toBe(409);

    const promoted = await waitFor('signup.promoted', () => seen.find((m) => m.topic.endsWith('/event/signup.promoted')));
    const about = { eventId: ev.id, signupId: big.signupId, people: 2, event: 'signup.promoted', title: { en: 'Blood pressure consultation' }, startsAt: new Date(T0 + 2 * DAY).toISOString() };
    expect(promoted.body).toMatchObject(about);
    expect(promoted.body).not.toHaveProperty('phone');
    // The phone goes only on private/, which the broker gives to Node-RED (and the service) alone.
    const personal = await waitFor('private/signup.promoted', () => seen.find((m) => m.topic === 'tongxin/xianxia-demo/private/signup.promoted'));
    expect(personal.body).toMatchObject({ ...about, phone: phone(2) });
    await waitFor('created and cancelled events', () => seen.some((m) => m.topic.endsWith('/signup.cancelled')) && seen.filter((m) => m.topic.endsWith('/signup.created')).length === 3);
    for (const m of seen.filter((x) => !x.topic.includes('/private/'))) expect(JSON.stringify(m.body)).not.toMatch(/139\d{8}/);
    await waitFor('the anonymous client saw the promotion, without the phone', () => curiousSaw.some((m) => m.includes('/event/signup.promoted')));
    expect(curiousSaw.filter((m) => m.includes('/private/'))).toEqual([]);
    expect(curiousSaw.join('\n')).not.toMatch(/139\d{8}/);
    const signups = (await (await call(app, 'GET', `/api/admin/health/events/${ev.id}/signups`, { cookie: staff })).json()) as { signups: any[] };
    expect(signups.signups.map((s) => [s.status, s.waitlistPosition])).toEqual([['cancelled', null], ['confirmed', null], ['waitlisted', 1]]);

    const checkin = (n: number, code: string) => call(app, 'POST', `/api/health/events/${ev.id}/checkin`, { body: { lastFour: phone(n).slice(-4), code } });
    clock.set(T0 + 2 * DAY - 31 * MIN);
    expect((await (await checkin(2, big.code)).json()).error.code).toBe('TX_CHECKIN_NOT_OPEN');
    clock.set(T0 + 2 * DAY - 30 * MIN);
    expect(await (await checkin(2, big.code)).json()).toMatchObject({ signupId: big.signupId, people: 2, alreadyCheckedIn: false });
    expect(await (await checkin(2, big.code)).json()).toMatchObject({ alreadyCheckedIn: true });
    expect((await (await checkin(3, small.code)).json()).error.code).toBe('TX_NOT_CONFIRMED');
    expect((await (await checkin(1, a.code)).json()).error.code).toBe('TX_SIGNUP_CANCELLED');
    // After the start nobody can cancel any more (the place could not be used); staff mark the waiter who came anyway.
    clock.set(T0 + 2 * DAY);
    staff = await login();
    expect((await (await call(app, 'POST', `/api/health/events/${ev.id}/cancel`, { body: { lastFour: '0003', code: small.code } })).json()).error.code).toBe('TX_EVENT_STARTED');
    const mark = await call(app, 'POST', `/api/admin/health/signups/${small.signupId}/attendance`, { cookie: staff, body: { attended: true } });
    expect(await mark.json()).toMatchObject({ signup: { id: small.signupId, checkedInVia: 'staff', phone: '139****0003' } });
    clock.set(T0 + 2 * DAY + 2 * H);
    expect((await (await checkin(2, big.code)).json()).error.code).toBe('TX_EVENT_ENDED');
    const events = (await (await call(app, 'GET', '/api/admin/health/events', { cookie: staff })).json()) as { events: any[] };
    expect(events.events[0].counts).toEqual({ confirmedPeople: 2, confirmedSignups: 1, waitlistedPeople: 1, waitlistedSignups: 1, checkedInPeople: 3, checkedInSignups: 2 });
    expect(auditActions(app)).toContain(`health.attendance health-signup:${small.signupId}`);
  });

  it('phones are masked everywhere but the audited staff CSV export; volunteer hours sum the events held', async () => {
    const { app, clock, logLines, login } = await boot();
    let staff = await login();
    await addStaff(app, 'committee-chen', 'committee');
    const committee = await loginCookie(app, 'committee-chen');
    const ev = await createEvent(app, staff);
    const ev2 = await createEvent(app, staff, { host: 'Ms Wang (volunteer)', kind: 'digital-skills', startsAt: T0 + 3 * DAY, endsAt: T0 + 3 * DAY + 90 * MIN, signupClosesAt: T0 + 3 * DAY });
    await createEvent(app, staff, { startsAt: T0 + 4 * DAY, endsAt: T0 + 4 * DAY + H, signupClosesAt: T0 + 4 * DAY }).then((e) => call(app, 'POST', `/api/admin/health/events/${e.id}/cancel`, { cookie: staff }));
    for (const n of [11, 12]) expect((await signUp(app, ev.id, { phone: phone(n) })).status).toBe(201);

    const bodies: string[] = [];
    for (const path of ['/api/health/events', `/api/health/events/${ev.id}`]) bodies.push(await (await call(app, 'GET', path)).text());
    for (const path of ['/api/admin/health/events', `/api/admin/health/events/${ev.id}/signups`]) bodies.push(await (await call(app, 'GET', path, { cookie: staff })).text());
    for (const b of bodies) expect(b).not.toMatch(/139\d{8}/);
    expect(bodies[3]).toContain('139****0011');

    const url = `/api/admin/health/events/${ev.id}/signups.csv`;
    expect((await call(app, 'GET', url)).status).toBe(401);
    expect((await call(app, 'GET', url, { cookie: committee })).status).toBe(403);
    const csv = await call(app, 'GET', url, { cookie: staff });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="health-event-${ev.id}-signups.csv"`);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('signup_id,status,waitlist_position,people,phone,code,signed_up_at,promoted_at,cancelled_at,checked_in_at');
    expect(lines.slice(1).map((l) => l.split(',')[4])).toEqual([phone(11), phone(12)]);
    expect(auditActions(app)).toContain(`health.signups.export health-event:${ev.id}`);
    expect(logLines.join('\n')).not.toMatch(/0000001[12]/);

    const hours = (from?: string, to?: string) =>
      call(app, 'GET', `/api/admin/health/volunteer-hours${from ? `?from=${from}&to=${to}` : ''}`, { cookie: staff }).then((r) => r.json() as Promise<{ hosts: any[] }>);
    expect((await hours()).hosts).toEqual([]); // nothing held yet
    clock.set(T0 + 5 * DAY);
    staff = await login();
    expect((await hours()).hosts).toEqual([
      { host: 'Dr Zhang Wei', events: 1, minutes: 120, hours: 2 },
      { host: 'Ms Wang (volunteer)', events: 1, minutes: 90, hours: 1.5 },
    ]);
    expect((await hours('2026-11-26', '2026-11-30')).hosts).toEqual([{ host: 'Ms Wang (volunteer)', events: 1, minutes: 90, hours: 1.5 }]);
    expect((await call(app, 'GET', '/api/admin/health/volunteer-hours?from=2026-02-30&to=2026-03-01', { cookie: staff })).status).toBe(400);
    // An event entered afterwards, without sign-up times: sign-up defaults to having closed at its start.
    const { signupOpensAt: _o, signupClosesAt: _c, description: _d, ...past } = eventBody({ startsAt: T0 + DAY, endsAt: T0 + DAY + H });
    const entered = await call(app, 'POST', '/api/admin/health/events', { cookie: staff, body: past });
    expect(await entered.json()).toMatchObject({ event: { signup: { closesAt: T0 + DAY, phase: 'closed' }, description: { zh: '', en: '' } } });
    expect((await hours()).hosts[0]).toEqual({ host: 'Dr Zhang Wei', events: 2, minutes: 180, hours: 3 });
    void ev2;
  });

  it('the privacy job deletes phone numbers phoneRetentionDays after the event, at start and from then on', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const clock = createManualClock(T0);
    const first = await boot({ dir, clock });
    const ev = await createEvent(first.app, first.staff);
    expect((await signUp(first.app, ev.id, { phone: phone(21), people: 2 })).status).toBe(201);
    await first.app.stop();
    const phones = (app: RunningApp) => app.store.db.prepare('SELECT phone, people FROM health_signups').all();

    clock.set(T0 + 2 * DAY + 2 * H + 30 * DAY); // exactly the retention (30 days in the demo site): kept
    const second = await boot({ dir, clock });
    expect(phones(second.app)).toEqual([{ phone: phone(21), people: 2 }]);
    await second.app.stop();

    clock.advance(1);
    const third = await boot({ dir, clock });
    expect(phones(third.app)).toEqual([{ phone: null, people: 2 }]);
    const staffList = (await (await call(third.app, 'GET', `/api/admin/health/events/${ev.id}/signups`, { cookie: third.staff })).json()) as { signups: any[]; event: any };
    expect(staffList.signups).toMatchObject([{ phone: null, people: 2, status: 'confirmed' }]);
    expect(staffList.event.counts.confirmedPeople).toBe(2);
  });

  it('the kiosk endpoints are rate-limited per client', async () => {
    const { app } = await boot(); // the demo site: 120 a minute
    const statuses = await Promise.all(Array.from({ length: 121 }, () => call(app, 'GET', '/api/health/events').then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(120);
    const posts = await Promise.all(Array.from({ length: 121 }, (_, i) => signUp(app, 1, { phone: phone(i) }).then((r) => r.status)));
    expect(posts.filter((s) => s === 429)).toHaveLength(1); // each endpoint has its own budget
  });

  it('200 concurrent sign-ups for 20 places: exactly 20 confirmed, 180 waitlisted in order; a cancellation promotes the first waiter over MQTT', async () => {
    const nodered = await noderedUser();
    const { app, staff, logLines } = await boot({
      config: (dir) =>
        demoConfigWith((doc) => {
          doc.http.publicRateLimitPerMinute = 10_000;
          doc.mqtt.users = [nodered];
        }).then((c) => testConfig(dir, {}, c)),
    });
    const watcher = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0, ...noderedLogin });
    defer(() => watcher.endAsync());
    await watcher.subscribeAsync('tongxin/xianxia-demo/private/signup.promoted', { qos: 1 });
    const promoted: any[] = [];
    watcher.on('message', (_t, payload) => promoted.push(JSON.parse(payload.toString())));

    const ev = await createEvent(app, staff, { capacity: 20 });
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => signUp(app, ev.id, { phone: phone(1000 + i) })));
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(201));
    const answers = (await Promise.all(responses.map((r) => r.json()))) as { signupId: number; status: string; waitlistPosition?: number; code: string; phone: string }[];
    const byOrder = [...answers].sort((x, y) => x.signupId - y.signupId);
    expect(byOrder.slice(0, 20).every((x) => x.status === 'confirmed' && x.waitlistPosition === undefined)).toBe(true);
    expect(byOrder.slice(20).map((x) => [x.status, x.waitlistPosition])).toEqual(Array.from({ length: 180 }, (_, i) => ['waitlisted', i + 1]));
    const db = app.store.db;
    expect(db.prepare("SELECT coalesce(sum(people), 0) AS n FROM health_signups WHERE event_id = ? AND status = 'confirmed'").get(ev.id)).toEqual({ n: 20 });
    expect(new Set(answers.map((x) => x.code)).size).toBe(200);

    const firstWaiter = byOrder[20]!;
    const victim = byOrder[7]!;
    const victimPhone = (db.prepare('SELECT phone FROM health_signups WHERE id = ?').get(victim.signupId) as { phone: string }).phone;
    const cancel = await call(app, 'POST', `/api/health/events/${ev.id}/cancel`, { body: { lastFour: victimPhone.slice(-4), code: victim.code } });
    expect(cancel.status).toBe(200);
    const msg = await waitFor('signup.promoted on MQTT', () => promoted[0]);
    const waiterPhone = (db.prepare('SELECT phone, status FROM health_signups WHERE id = ?').get(firstWaiter.signupId) as { phone: string; status: string });
    expect(msg).toMatchObject({ eventId: ev.id, signupId: firstWaiter.signupId, phone: waiterPhone.phone });
    expect(waiterPhone.status).toBe('confirmed');
    const next = await (await call(app, 'GET', `/api/admin/health/events/${ev.id}/signups`, { cookie: staff })).json();
    expect(next.signups.find((s: any) => s.id === byOrder[21]!.signupId).waitlistPosition).toBe(1);
    expect(logLines.join('\n')).not.toMatch(/13900001\d{3}/);
  });

  it('five wrong codes for one last four block cancelling and check-in for 15 minutes, even with the right code', async () => {
    const { app, clock, staff } = await boot();
    const ev = await createEvent(app, staff, { capacity: 5 });
    const mine = (await (await signUp(app, ev.id, { phone: phone(42) })).json()) as { code: string };
    const wrong = mine.code === '0000' ? '1111' : '0000';
    const cancel = (code: string) => call(app, 'POST', `/api/health/events/${ev.id}/cancel`, { body: { lastFour: phone(42).slice(-4), code } });
    for (let i = 0; i < 5; i++) expect((await cancel(wrong)).status).toBe(404);
    const blocked = await cancel(mine.code);
    expect(blocked.status).toBe(429);
    expect((await blocked.json()).error).toMatchObject({ code: 'TX_TOO_MANY_ATTEMPTS', text: { zh: expect.stringContaining('十五分钟') } });
    const checkIn = await call(app, 'POST', `/api/health/events/${ev.id}/checkin`, { body: { lastFour: phone(42).slice(-4), code: mine.code } });
    expect(checkIn.status).toBe(429);
    clock.advance(15 * 60_000);
    expect((await cancel(mine.code)).status).toBe(200);
  });
});
