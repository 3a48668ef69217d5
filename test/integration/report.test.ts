import mqtt from 'mqtt';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { SiteConfig } from '../../src/config/schema.js';
import { createManualClock } from '../../src/core/clock.js';
import { CONTENT_SECURITY_POLICY } from '../../src/http/server.js';
import { createWasteStore } from '../../src/waste/waste-store.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../helpers/app.js';
import { CREW_PASSWORD, crewPhone, demoCrewUsers } from '../helpers/crew.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/**
 * The monthly report over real HTTP, from a month of activity made through the real APIs: health-hour
 * events, sign-ups, a cancellation with promotion, kiosk and staff check-in; an alert acked by a crew
 * over MQTT and resolved; concerns raised at the kiosk and moved through the loop by the committee.
 * footfall counted by the lounge module from door-counter readings published over MQTT. Only the
 * waste outcomes are written straight into their tables (see the note below).
 */
const SITE = 'xianxia-demo';
const MIN = 60_000;
/** Shanghai wall time (UTC+8, no DST) as epoch ms; `month` counts from 0 as in Date.UTC. */
const sh = (month: number, day: number, hour: number, minute = 0) => Date.UTC(2026, month, day, hour - 8, minute);
const NOV = 10;
const phone = (n: number) => `139${String(n).padStart(8, '0')}`;
const ANY_PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)|\d{3}\*{4}\d{4}/;
const defer = useCleanup();
let base: SiteConfig;

beforeAll(async () => {
  const users = await demoCrewUsers();
  base = await demoConfigWith((doc) => {
    doc.mqtt.users = users;
    // No escalation and no judged pickup slots behind the test's back while the clock jumps days ahead.
    doc.alerts = { escalateAfterMinutes: 100_000, resendSeconds: 60, minIntervalMinutes: 0 };
    doc.clock = { trustAtStart: false };
    // The door counters go quiet between the test's jumps: no sensor-offline alert may join the month.
    for (const d of doc.devices) if (d.id === 'doors') d.offlineAfterSeconds = 100 * 86_400;
  });
});

/** A CSV line split into fields (quotes doubled inside quoted fields, as csv-stringify writes them). */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted && ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
    else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) out.push(cur), (cur = '');
    else cur += ch;
  }
  return [...out, cur];
}

async function json(app: RunningApp, path: string, cookie?: string) {
  const res = await call(app, 'GET', path, cookie ? { cookie } : {});
  return { status: res.status, body: (await res.json()) as any };
}

describe('the monthly report', () => {
  it('sums up a month of the lounge as JSON, CSV (zh/en) and a printable page, for staff and the committee only', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const clock = createManualClock(sh(NOV, 3, 10));
    const { app } = await startTestApp({ dataDir: dir, clock, config: testConfig(dir, {}, base) });
    defer(() => app.stop());
    await addStaff(app, 'lin', 'staff');
    await addStaff(app, 'chen', 'committee');
    let staff = await loginCookie(app, 'lin');
    let committee = await loginCookie(app, 'chen');
    // The door counters: a count of people since the last reading, as the firmware and simulator publish.
    const counter = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => counter.endAsync());
    const count = async (sensor: string, value: number, at = clock.now()) => {
      const target = app.counters.total('readings_accepted') + 1;
      await counter.publishAsync(`tongxin/${SITE}/sensor/${sensor}/raw`, JSON.stringify({ value, at }), { qos: 1 });
      await waitFor(`${sensor} counted`, () => app.counters.total('readings_accepted') >= target);
    };
    await count('door-main-in', 100, sh(9, 31, 23, 10)); // a late batch from 31 October, local: not November

    // Health hours: one held in November (capacity 2), one cancelled, one in October (not in the report).
    const create = async (body: Record<string, unknown>) => {
      const res = await call(app, 'POST', '/api/admin/health/events', { cookie: staff, body: { kind: 'doctor-consultation', title: { zh: '咨询', en: 'Consultation' }, place: { zh: '健康角', en: 'Health corner' }, host: 'Dr Zhang Wei', capacity: 2, ...body } });
      expect(res.status, await res.clone().text()).toBe(201);
      return ((await res.json()) as { event: { id: number } }).event.id;
    };
    const held = await create({ startsAt: sh(NOV, 5, 10), endsAt: sh(NOV, 5, 12) });
    const dropped = await create({ host: 'Ms Wang', startsAt: sh(NOV, 6, 14), endsAt: sh(NOV, 6, 15) });
    await create({ host: 'Dr October', startsAt: sh(9, 20, 10), endsAt: sh(9, 20, 11) });
    const signUp = async (n: number) => {
      const res = await call(app, 'POST', `/api/health/events/${held}/signups`, { body: { phone: phone(n), consent: true } });
      expect(res.status).toBe(201);
      return (await res.json()) as { signupId: number; code: string; status: string };
    };
    const [s1, s2, s3, s4] = [await signUp(1), await signUp(2), await signUp(3), await signUp(4)];
    expect([s1, s2, s3, s4].map((s) => s.status)).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted']);
    expect((await call(app, 'POST', `/api/health/events/${held}/cancel`, { body: { lastFour: phone(1).slice(-4), code: s1.code } })).status).toBe(200); // s3 promoted
    expect((await call(app, 'POST', `/api/admin/health/events/${dropped}/cancel`, { cookie: staff })).status).toBe(200);
    clock.set(sh(NOV, 5, 9, 10));
    await count('door-main-in', 8);
    await count('door-main-out', 3);
    clock.set(sh(NOV, 5, 9, 45));
    expect((await call(app, 'POST', `/api/health/events/${held}/checkin`, { body: { lastFour: phone(2).slice(-4), code: s2.code } })).status).toBe(200);
    clock.set(sh(NOV, 5, 10, 10));
    await count('door-main-in', 20);
    await count('door-garden-in', 5);
    clock.set(sh(NOV, 5, 10, 30));
    staff = await loginCookie(app, 'lin');
    // The waiter who came anyway is let in by staff; s3 (promoted) never comes: a no-show.
    expect((await call(app, 'POST', `/api/admin/health/signups/${s4.signupId}/attendance`, { cookie: staff, body: { attended: true } })).status).toBe(200);

    // An alert acked by the crew's phone after 12 minutes and resolved 30 minutes later; another left open.
    clock.set(sh(NOV, 10, 14));
    const wet = await crewPhone(app.mqttUrl, SITE, 'crew-wet-dry', CREW_PASSWORD);
    defer(() => wet.close());
    const alert = app.alerts.raise({ kind: 'bin-full', subject: 'bin:p1-wet', severity: 'warning', category: 'wet', pointId: 'p1', binId: 'p1-wet', detail: { fill: 93 } });
    expect(alert).toBeDefined();
    await waitFor('the alert on the crew phone', () => wet.received.find((a) => a.alertId === alert?.id));
    clock.advance(12 * MIN);
    await wet.ack(alert!.id);
    await waitFor('acked', () => app.alerts.get(alert!.id)?.state === 'acked');
    clock.advance(30 * MIN);
    expect(app.alerts.resolveSubject('bin:p1-wet', 'all', 'bin emptied')).toBe(1);
    app.alerts.raise({ kind: 'pickup-missed', subject: 'slot:p1/wet/2026-11-05T21:00', severity: 'warning', category: 'wet', pointId: 'p1', binId: 'p1-wet', detail: { slot: '2026-11-05 21:00' } });

    // Concerns: one resolved after three days, one declined, one left open (the first with a phone).
    clock.set(sh(NOV, 12, 10));
    const raise = async (body: Record<string, unknown>) => ((await (await call(app, 'POST', '/api/concerns', { body })).json()) as { concern: { id: number } }).concern.id;
    const tree = await raise({ category: 'tree-signal', place: 'point:p1', phrases: ['please-trim'], phone: phone(7), consent: true });
    const stalls = await raise({ category: 'street-stalls', place: 'lounge' });
    await raise({ category: 'waste', place: 'point:p1', phrases: ['bins-full'] });
    committee = await loginCookie(app, 'chen');
    const act = async (id: number, step: string, body?: unknown) =>
      expect((await call(app, 'POST', `/api/admin/concerns/${id}/${step}`, { cookie: committee, ...(body ? { body } : {}) })).status).toBe(200);
    await act(tree, 'accept');
    await act(tree, 'consultation', { at: sh(NOV, 14, 15), place: { zh: '会议室', en: 'Meeting room' } });
    await act(stalls, 'decline', { reason: { zh: '转交城管', en: 'Referred to city management' } });
    clock.set(sh(NOV, 12, 15, 20));
    await count('door-main-in', 7);
    clock.set(sh(NOV, 15, 10));
    committee = await loginCookie(app, 'chen');
    await act(tree, 'resolve', { decision: { zh: '修剪', en: 'Trim' }, resolution: { zh: '已修剪', en: 'Trimmed' } });

    // Waste outcomes through the waste store: the demo's bins have no drop sensors, and slots are only
    // judged on a trusted clock in real time, which a test that jumps days cannot wait for.
    const waste = createWasteStore(app.store.db);
    waste.checkSlot('p1/wet/2026-11-05T09:00', 'collected', sh(NOV, 5, 10));
    waste.checkSlot('p1/wet/2026-11-05T21:00', 'missed', sh(NOV, 5, 22));
    waste.checkSlot('p1/dry/2026-11-05T09:30', 'nothing-to-collect', sh(NOV, 5, 10, 30));
    waste.checkSlot('p1/wet/2026-10-31T21:00', 'missed', sh(9, 31, 22));
    for (const [bin, at, inWindow] of [
      ['p1-wet', sh(NOV, 5, 7), true], ['p1-wet', sh(NOV, 5, 7, 30), true], ['p1-wet', sh(NOV, 5, 8), true], ['p1-wet', sh(NOV, 5, 12), false],
      ['p2-dry', sh(NOV, 6, 13), true], ['p1-wet', sh(9, 31, 23, 30), false],
    ] as const) waste.recordDropoff(bin, at, inWindow);

    clock.set(sh(11, 2, 10)); // 2 December: November is over
    await count('door-main-in', 50, sh(11, 1, 0, 5)); // just after midnight on 1 December: not November
    const stored = app.store.db.prepare('SELECT coalesce(sum(entries), 0) AS n FROM lounge_visits_hourly');
    await waitFor('the lounge stored its hourly counts', () => (stored.get() as { n: number }).n === 190);
    staff = await loginCookie(app, 'lin');
    committee = await loginCookie(app, 'chen');
    const { status, body } = await json(app, '/api/reports/monthly?month=2026-11', committee);
    expect(status).toBe(200);
    const r = body.report;
    expect(r).toMatchObject({ site: { id: SITE }, month: '2026-11', timezone: 'Asia/Shanghai', from: sh(9, 31, 24), to: sh(NOV, 30, 24), complete: true });
    expect(r.visitors).toMatchObject({ available: true, total: 40, busiestDay: { date: '2026-11-05', entries: 33 }, busiestHour: { hour: 10, entries: 25 } });
    expect(r.visitors.perDay).toHaveLength(30);
    expect(r.visitors.byDoor).toEqual([
      { doorId: 'door-garden', name: { zh: '花园门', en: 'Garden door' }, entries: 5 },
      { doorId: 'door-main', name: { zh: '正门', en: 'Main door' }, entries: 35 },
    ]);
    expect(r.healthHours.events).toEqual({ scheduled: 2, held: 1, cancelled: 1, upcoming: 0 });
    expect(r.healthHours.attendance).toEqual({
      signedUp: { signups: 4, people: 4 },
      cancelledByResident: { signups: 1, people: 1 },
      confirmed: { signups: 2, people: 2 },
      waitlisted: { signups: 1, people: 1 },
      promoted: { signups: 1, people: 1 },
      checkedIn: { signups: 2, people: 2 },
      noShows: { signups: 1, people: 1 },
    });
    expect(r.healthHours.volunteerHours).toEqual({ hosts: [{ host: 'Dr Zhang Wei', events: 1, minutes: 120, hours: 2 }], totalHours: 2 });
    expect(r.windowsKept.pickups.rows.map((x: any) => [x.pointId, x.category, x.collected, x.missed, x.nothingToCollect, x.keptPercent])).toEqual([
      ['p1', 'wet', 1, 1, 0, 50],
      ['p1', 'dry', 0, 0, 1, null],
    ]);
    expect(r.windowsKept.dropoffs.rows.map((x: any) => [x.pointId, x.category, x.inWindow, x.outOfWindow, x.keptPercent])).toEqual([
      ['p1', 'wet', 3, 1, 75],
      ['p2', 'dry', 1, 0, 100],
    ]);
    expect(r.alerts).toEqual({
      raised: 2, acked: 1, resolved: 1, escalated: 0, stillOpen: 1,
      byKind: [{ kind: 'bin-full', raised: 1, acked: 1, resolved: 1 }, { kind: 'pickup-missed', raised: 1, acked: 0, resolved: 0 }],
      minutesToAck: { count: 1, median: 12, p90: 12 },
      minutesToResolve: { count: 1, median: 42, p90: 42 },
    });
    expect(r.concerns).toMatchObject({ raised: 3, resolved: 1, declined: 1, openAtMonthEnd: 1, daysToResolve: { count: 1, median: 3, p90: 3 } });
    expect(r.concerns.byCategory.map((c: any) => c.category)).toEqual(['tree-signal', 'street-stalls', 'waste']);
    expect(JSON.stringify(body)).not.toMatch(ANY_PHONE);

    // The CSV, in both languages.
    const csvRes = await call(app, 'GET', '/api/reports/monthly.csv?month=2026-11', { cookie: staff });
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(csvRes.headers.get('content-disposition')).toBe(`attachment; filename=tongxin-${SITE}-2026-11.csv`);
    // fetch's text() drops a BOM: look at the bytes Excel will see.
    const bytes = Buffer.from(await csvRes.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const zh = bytes.toString('utf8');
    const rows = zh.replace(/^\uFEFF/, '').trimEnd().split('\n').map(fields);
    expect(rows[0]).toEqual(['部分', '项目', '细分', '数值']);
    expect(rows.every((x) => x.length === 4)).toBe(true);
    expect(rows).toContainEqual(['客厅访客', '进入人次合计', '', '40']);
    expect(rows).toContainEqual(['健康YI小时', '志愿服务时长', 'Dr Zhang Wei', '2']);
    expect(rows).toContainEqual(['告警与清运响应', '确认用时（分钟）', '中位数', '12']);
    expect(zh).not.toMatch(ANY_PHONE);
    const en = await (await call(app, 'GET', '/api/reports/monthly.csv?month=2026-11&lang=en', { cookie: committee })).text();
    const enRows = en.replace(/^\uFEFF/, '').trimEnd().split('\n').map(fields);
    expect(enRows[0]).toEqual(['section', 'item', 'detail', 'value']);
    expect(enRows).toContainEqual(['Windows kept', 'Pickup slots: Kept %', 'Point 1 (Xianxia Road corner) · wet', '50']);
    expect(enRows).toContainEqual(['Residents’ concerns', 'Still open at month end', '', '1']);
    expect(en).not.toMatch(ANY_PHONE);

    // The printable page, in both languages, under the site's CSP, with its stylesheet.
    for (const [lang, title] of [['zh', '社区共享客厅月报'], ['en', 'Shared lounge monthly report']] as const) {
      const page = await call(app, 'GET', `/reports/monthly?month=2026-11&lang=${lang}`, { cookie: committee });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      const html = await page.text();
      expect(html).toContain(`${title} · 2026-11`);
      expect(html).toContain('Dr Zhang Wei');
      expect(html).not.toMatch(/<script|<style|\sstyle=/i);
      expect(html).not.toMatch(ANY_PHONE);
    }
    expect(await (await call(app, 'GET', '/reports/monthly?month=2026-11', { cookie: staff })).text()).toContain('<html lang="zh-CN">');
    const css = await call(app, 'GET', '/reports/monthly.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toContain('@media print');
    expect((app.store.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'report.monthly.export'").get() as { n: number }).n).toBe(2);
  });

  it('refuses residents without a login, a malformed month and a month that has not begun', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const clock = createManualClock(sh(NOV, 20, 10));
    const { app } = await startTestApp({ dataDir: dir, clock, config: testConfig(dir, {}, base) });
    defer(() => app.stop());
    for (const path of ['/api/reports/monthly?month=2026-11', '/api/reports/monthly.csv?month=2026-11', '/reports/monthly?month=2026-11&lang=en']) {
      const res = await call(app, 'GET', path);
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as any).error.code).toBe('TX_UNAUTHENTICATED');
    }
    await addStaff(app, 'admin-wu', 'admin');
    const admin = await loginCookie(app, 'admin-wu');
    for (const month of ['2026-13', '2026-1', 'november', '']) {
      const res = await json(app, `/api/reports/monthly?month=${month}`, admin);
      expect(res.status, month).toBe(400);
      expect(res.body.error.code).toBe('TX_BAD_REQUEST');
    }
    expect((await json(app, '/api/reports/monthly', admin)).status).toBe(400);
    expect((await json(app, '/api/reports/monthly.csv?month=2026-11&lang=fr', admin)).status).toBe(400);
    for (const path of ['/api/reports/monthly?month=2026-12', '/api/reports/monthly.csv?month=2027-01', '/reports/monthly?month=2026-12']) {
      const res = await json(app, path, admin);
      expect(res.status, path).toBe(400);
      expect(res.body.error.message).toMatch(/has not begun/);
    }
    // The month under way is reported up to now, and says so.
    const now = await json(app, '/api/reports/monthly?month=2026-11', admin);
    expect(now.status).toBe(200);
    expect(now.body.report).toMatchObject({ complete: false, generatedAt: sh(NOV, 20, 10), visitors: { available: true, total: 0 } });
    expect(now.body.report.visitors.perDay).toHaveLength(30);
  });
});
