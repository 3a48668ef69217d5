import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { KIOSK_DIST } from '../../src/http/server.js';
import { demoConfigWith, startTestApp, tempDir, testConfig } from '../helpers/app.js';
import { launchKioskBrowser, waitForText, waitForVisible, watchPageProblems, type KioskBrowser } from '../helpers/browser.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/**
 * The staff admin page, built by Vite and served by the real service (its CSP, cookies and guards),
 * in real headless Chromium: nothing shows without a login; a staff member exports an event's
 * sign-ups as CSV through the cookie session, and acks and resolves an alert; a committee member
 * sees only the concerns queue and moves a concern on. Screenshots at 1280×800 go to
 * test-artifacts/admin/.
 */
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/admin');
const PHONE = '13812341234';
const MASKED = '138****1234';
const EVENT_TITLE = { zh: '高血压讲座', en: 'Blood pressure talk' };
const binFull = { kind: 'bin-full' as const, subject: 'bin:p1-wet', severity: 'warning' as const, category: 'wet' as const, pointId: 'p1', binId: 'p1-wet', detail: { fill: 93 } };

let app: RunningApp | undefined;
let removeDir: (() => void) | undefined;
let browser: KioskBrowser | undefined;
let page: Page;
let watch: ReturnType<typeof watchPageProblems>;
let staffCookie: string;

const tid = (id: string) => page.locator(`[data-testid="${id}"]`);
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}-1280x800.png`), fullPage: false });

async function logIn(username: string): Promise<void> {
  await tid('f-username').fill(username);
  await tid('f-password').fill(`${username}-password`);
  await tid('login-submit').click();
  await waitForVisible(tid('nav'), true, 5_000);
}

// A missing build or browser fails every test with the reason (a failed beforeAll alone would
// show the tests as skipped).
let setupError: unknown;
beforeAll(async () => {
  try {
    if (!existsSync(join(KIOSK_DIST, 'admin.html'))) {
      throw new Error(`The admin page is not built (${KIOSK_DIST}/admin.html is missing): run \`npm run build\` before these tests.`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    const { dir, remove } = tempDir('tongxin-admin-e2e-');
    removeDir = remove;
    // Nothing escalates or re-sends by itself during the test: the states seen are the ones staff caused.
    const base = await demoConfigWith((doc) => {
      doc.alerts = { escalateAfterMinutes: 60, resendSeconds: 3600, minIntervalMinutes: 0 };
    });
    ({ app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base) }));
    await addStaff(app, 'zhou', 'staff');
    await addStaff(app, 'chen', 'committee');
    staffCookie = await loginCookie(app, 'zhou');
    browser = await launchKioskBrowser({ width: 1280, height: 800 });
    page = browser.page;
    watch = watchPageProblems(page);
  } catch (err) {
    setupError = err;
  }
}, 30_000);

beforeEach(() => {
  if (setupError) throw setupError;
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  removeDir?.();
}, 20_000);

describe('staff admin page (real service, real Chromium)', () => {
  it('shows only the login form without a session: the API answers 401 and no data is on the page', async () => {
    const a = app as RunningApp;
    watch.setPhase('anonymous');
    const meAnswer = page.waitForResponse((r) => r.url().endsWith('/api/staff/me'));
    const res = await page.goto(`${a.httpUrl}/admin`, { waitUntil: 'load' });
    expect(page.url()).toBe(`${a.httpUrl}/admin.html`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect((await meAnswer).status()).toBe(401);
    await waitForVisible(tid('login'), true, 5_000);
    expect(await tid('nav').count()).toBe(0);
    // The page's own requests, as the page would make them, are refused too.
    const status = await page.evaluate(async () => (await fetch('/api/admin/health/events')).status);
    expect(status).toBe(401);

    // The form checks before it sends: an empty form asks for both fields and sends nothing.
    let logins = 0;
    page.on('request', (r) => void (r.url().endsWith('/api/staff/login') && logins++));
    await tid('login-submit').click();
    await waitForVisible(page.locator('#f-username-error'), true, 2_000);
    expect(logins).toBe(0);
    await tid('f-username').fill('zhou');
    await tid('f-password').fill('not the password');
    await tid('login-submit').click();
    await waitForText(tid('login-error'), /用户名或密码不对/);
    expect(logins).toBe(1);
    expect(await tid('nav').count()).toBe(0);
    await shot('login');
  });

  it('a staff member logs in, sees the sign-ups with masked phones and downloads the CSV through the cookie session', async () => {
    const a = app as RunningApp;
    const startsAt = Date.now() + 3 * 86_400_000;
    const created = await call(a, 'POST', '/api/admin/health/events', {
      cookie: staffCookie,
      body: { kind: 'lecture', title: EVENT_TITLE, host: 'Dr Wang', place: { zh: '共享客厅', en: 'Lounge' }, startsAt, endsAt: startsAt + 3_600_000, capacity: 10 },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const eventId = ((await created.json()) as { event: { id: number } }).event.id;
    const signup = await call(a, 'POST', `/api/health/events/${eventId}/signups`, { body: { phone: PHONE, consent: true, people: 2 } });
    expect(signup.status, await signup.clone().text()).toBe(201);
    const { code } = (await signup.json()) as { code: string };

    await logIn('zhou');
    watch.setPhase('staff');
    expect(await tid('who').getAttribute('data-role')).toBe('staff');
    await waitForText(tid('who'), /zhou（工作人员）/);
    // The committee's queue is not for staff: not even its button is there.
    expect(await tid('nav-concerns').count()).toBe(0);
    for (const p of ['services', 'events', 'alerts', 'sensors', 'devices', 'reports']) expect(await tid(`nav-${p}`).count(), p).toBe(1);

    await tid('nav-events').click();
    const row = tid('events-table-row').filter({ hasText: EVENT_TITLE.zh });
    await waitForVisible(row, true, 5_000);
    await tid('events-table-search').fill('血压');
    await waitForText(tid('events-table-count'), /共 1 条/);
    await row.locator('[data-testid="event-signups"]').click();
    await waitForText(tid('signup-phone'), /138\*{4}1234/);
    expect(await page.locator('body').innerText()).not.toContain(PHONE);
    await waitForText(tid('signups'), new RegExp(code));
    await shot('events-signups');

    const [download] = await Promise.all([page.waitForEvent('download'), tid('signups-csv').click()]);
    expect(download.suggestedFilename()).toBe(`health-event-${eventId}-signups.csv`);
    const path = await download.path();
    const csv = readFileSync(path, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(lines[0]).toBe('signup_id,status,waitlist_position,people,phone,code,signed_up_at,promoted_at,cancelled_at,checked_in_at');
    // The export is the one place with the whole number (audited), for staff to call people.
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^\\d+,confirmed,,2,${PHONE},${code},\\d{4}-`));
    const audit = a.store.db.prepare("SELECT actor, target FROM audit_log WHERE action = 'health.signups.export'").all();
    expect(audit).toEqual([{ actor: 'zhou', target: `health-event:${eventId}` }]);

    // The masked number on screen, the full one only in the file.
    expect(await tid('signup-phone').innerText()).toBe(MASKED);

    // A new event through the form: checked before it is sent, and its times typed as Shanghai
    // time although this browser's zone is London.
    const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(Date.now() + 10 * 86_400_000);
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    let posts = 0;
    const countPosts = (r: { url(): string; method(): string }) => void (r.method() === 'POST' && r.url().endsWith('/api/admin/health/events') && posts++);
    page.on('request', countPosts);
    await tid('new-event').click();
    await tid('f-title-zh').fill('糖尿病饮食');
    await tid('f-title-en').fill('Eating with diabetes');
    await tid('f-host').fill('Nurse Li');
    await tid('f-place-zh').fill('共享客厅');
    await tid('f-place-en').fill('Lounge');
    await tid('f-startsAt').fill(`${day}T14:30`);
    await tid('f-endsAt').fill(`${day}T13:30`);
    await tid('f-capacity').fill('12');
    await tid('event-form-submit').click();
    await waitForText(page.locator('#f-endsAt-error'), /结束时间要晚于开始时间/);
    expect(posts).toBe(0);
    await tid('f-endsAt').fill(`${day}T15:30`);
    await tid('event-form-submit').click();
    await waitForVisible(tid('event-form'), false, 5_000);
    expect(posts).toBe(1);
    page.off('request', countPosts);
    const listed = (await (await call(a, 'GET', '/api/admin/health/events', { cookie: staffCookie })).json()) as { events: { title: { en: string }; startsAt: number; endsAt: number; capacity: number }[] };
    expect(listed.events.find((e) => e.title.en === 'Eating with diabetes')).toMatchObject({ startsAt: Date.UTC(y, m - 1, d, 6, 30), endsAt: Date.UTC(y, m - 1, d, 7, 30), capacity: 12 });
    await tid('events-table-search').fill('糖尿病');
    await waitForText(tid('events-table-row').first(), new RegExp(`${day} 14:30`));
  });

  it('an alert appears by itself within the refresh, and is acked and resolved from the page with a note', async () => {
    const a = app as RunningApp;
    const first = a.alerts.raise(binFull);
    expect(first).toBeDefined();
    await tid('nav-alerts').click();
    await waitForVisible(tid('alerts-table-row'), true, 5_000);
    expect(await tid('alerts-table-row').count()).toBe(1);

    // A second alert, raised while the page is open, shows up without any click (10 s refresh).
    const second = a.alerts.raise({ kind: 'sensor-offline', subject: 'device:doors', severity: 'critical', deviceId: 'doors', detail: {} });
    expect(second).toBeDefined();
    // (10 s, plus slack for a busy CI machine; the page has no other reason to ask again)
    await waitForText(tid('alerts-table-count'), /共 2 条/, 13_000);
    await shot('alerts');

    const row = tid('alerts-table-row').and(page.locator(`[data-key="${first!.id}"]`));
    await row.locator('[data-testid="alert-ack"]').click();
    await tid('f-note').fill('on my way');
    await tid('alert-ack-form-submit').click();
    await waitForText(row.locator('[data-testid="alert-state"]'), /已确认/);
    expect(a.alerts.get(first!.id)).toMatchObject({ state: 'acked', ackedBy: 'staff:zhou' });
    expect(await row.locator('[data-testid="alert-ack"]').count()).toBe(0);

    await row.locator('[data-testid="alert-resolve"]').click();
    // A resolution needs a note: the form says so and sends nothing.
    await tid('alert-resolve-form-submit').click();
    await waitForVisible(page.locator('#f-note-error'), true, 2_000);
    expect(a.alerts.get(first!.id)?.state).toBe('acked');
    await tid('f-note').fill('bin emptied by hand');
    await tid('alert-resolve-form-submit').click();
    await waitForText(tid('alerts-done'), /已解决告警/);
    await waitForText(tid('alerts-table-count'), /共 1 条/);
    expect(a.alerts.get(first!.id)).toMatchObject({ state: 'resolved', resolution: 'bin emptied by hand' });
    expect(a.alerts.history(first!.id).map((h) => [h.event, h.actor])).toEqual([
      ['raised', null],
      ['acked', 'staff:zhou'],
      ['resolved', 'staff:zhou'],
    ]);

    // In English, the same page.
    await tid('lang-en').click();
    await waitForText(tid('nav-alerts'), /Alerts/);
    await waitForText(tid('alerts-table-count'), /^1 row$/);
    await tid('lang-zh').click();
  });

  it('sensor plots, device status and the other staff pages render from the service', async () => {
    const a = app as RunningApp;
    // A day of readings, one every 10 minutes, as the ingest would have stored them.
    const now = Date.now();
    const insert = a.store.db.prepare('INSERT INTO readings (sensor_id, at, raw, value) VALUES (?, ?, ?, ?)');
    for (let i = 143; i >= 0; i--) insert.run('soil-herbs-a', now - i * 600_000, 400, 50 + 20 * Math.sin(i / 12));

    await tid('nav-sensors').click();
    await tid('sensor-select').selectOption('soil-herbs-a');
    await waitForText(tid('sensor-points'), /^144 个点 · 原始读数$/);
    await waitForVisible(page.locator('[data-testid="sensor-chart"] canvas'), true, 5_000);
    await shot('sensors');
    await tid('range-7d').click();
    await waitForText(tid('sensor-points'), /个点 · 每小时平均$/);

    // A reading over the real broker brings its device online; the others stay unknown.
    const client = await mqtt.connectAsync(a.mqttUrl, { reconnectPeriod: 0 });
    await client.publishAsync('tongxin/xianxia-demo/sensor/soil-herbs-b/raw', JSON.stringify({ value: 405 }), { qos: 1 });
    await client.endAsync();
    await tid('nav-devices').click();
    await waitForVisible(tid('devices-table-row').first(), true, 5_000);
    expect(await tid('devices-table-row').count()).toBe(a.config.devices.length);
    // Offline and unknown devices are listed first; the one online now says so in words.
    await waitForText(tid('devices-table-row').and(page.locator('[data-key="garden-node"]')).locator('[data-testid="device-status"]'), /在线/, 5_000);
    expect(await tid('devices-table-row').last().getAttribute('data-key')).toBe('garden-node');
    await shot('devices');

    await tid('nav-services').click();
    await waitForVisible(tid('services-table-row').first(), true, 5_000);
    // Forms check before they send: a partner with a bad kind and one language of its name.
    await tid('new-partner').click();
    await tid('f-name-zh').fill('社区医院');
    await tid('f-kind').fill('Hospital!');
    await tid('partner-form-submit').click();
    await waitForVisible(page.locator('#f-name-error'), true, 2_000);
    await waitForVisible(page.locator('#f-kind-error'), true, 2_000);
    await shot('services');
    await tid('partner-form-cancel').click();

    await tid('nav-reports').click();
    const monthly = await tid('report-monthly').getAttribute('href');
    expect(monthly).toMatch(/^\/reports\/monthly\?month=\d{4}-\d{2}&lang=zh$/);
    expect((await call(a, 'GET', monthly as string, { cookie: staffCookie })).status).toBe(200);
    expect((await call(a, 'GET', (await tid('report-lounge').getAttribute('href')) as string, { cookie: staffCookie })).status).toBe(200);
  });

  it('a committee member sees only the concerns queue and accepts a concern', async () => {
    const a = app as RunningApp;
    const raised = await call(a, 'POST', '/api/concerns', { body: { category: 'bike-parking', place: 'lounge', words: '门口的自行车太多了' } });
    expect(raised.status, await raised.clone().text()).toBe(201);

    await tid('logout').click();
    await waitForVisible(tid('login'), true, 5_000);
    await logIn('chen');
    expect(await tid('who').getAttribute('data-role')).toBe('committee');
    const nav = await tid('nav').locator('button').allInnerTexts();
    expect(nav).toEqual(['议题', '报表']);

    await tid('nav-concerns').click();
    const row = tid('concerns-table-row').filter({ hasText: '自行车' });
    await waitForVisible(row, true, 5_000);
    await row.locator('[data-testid="concern-handle"]').click();
    // Declining needs a reason: nothing is sent without one.
    await tid('concern-decline-submit').click();
    await waitForVisible(page.locator('#f-reason-error'), true, 2_000);
    await shot('concerns');
    await tid('concern-accept').click();
    await waitForText(tid('concerns-table-count'), /共 0 条/);
    await tid('concerns-state-accepted').click();
    await waitForVisible(tid('concerns-table-row').filter({ hasText: '自行车' }), true, 5_000);
    const state = a.store.db.prepare('SELECT state FROM concerns').all();
    expect(state).toEqual([{ state: 'accepted' }]);
  });

  it('raised no CSP violation or script error on the way (only the expected 401s before login)', () => {
    const unexpected = watch.problems.filter((p) => !(p.phase === 'anonymous' && /401/.test(p.text)));
    expect(unexpected).toEqual([]);
  });
});
