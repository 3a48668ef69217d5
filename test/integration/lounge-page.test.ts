import mqtt, { type MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { createManualClock, type ManualClock } from '../../src/core/clock.js';
import { CONTENT_SECURITY_POLICY } from '../../src/http/server.js';
import { startTestApp, tempDir, useCleanup, waitFor } from '../helpers/app.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/**
 * The staff page for footfall (`/reports/lounge`) over real MQTT and HTTP: door counts published
 * through the broker over two days, a health hour made through the admin API, and the page read as
 * staff in both languages. The figures are read back out of the page's tables, cell by cell.
 * Demo site: open 08:30–20:30 Asia/Shanghai; doors door-main and door-garden; attendance lead 30 min.
 */
const SITE = 'xianxia-demo';
// Sunday 29 and Monday 30 November 2026 in Shanghai (UTC+8): day(30, 9) is 30 November 09:00.
const day = (date: 29 | 30, hour: number, minute = 0) => Date.UTC(2026, 10, date, hour - 8, minute);
const defer = useCleanup();
const ANY_PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/;

/** Publishes counts at the clock's time (a second apart) and waits until the service took them in. */
async function count(app: RunningApp, client: MqttClient, clock: ManualClock, sensor: string, values: number[]) {
  const target = app.counters.total('readings_accepted') + values.length;
  for (const value of values) {
    clock.advance(1000);
    await client.publishAsync(`tongxin/${SITE}/sensor/${sensor}/raw`, JSON.stringify({ value, at: clock.now() }), { qos: 1 });
  }
  await waitFor(`${values.length} counts taken in`, () => app.counters.total('readings_accepted') >= target);
}

const decode = (s: string) => s.replace(/<[^>]*>/g, '').replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&').trim();

/** The rows (cells as text) of the tables in the section headed `title`. */
function rows(html: string, title: string): string[][] {
  const section = html.split('<section>').find((s) => s.startsWith(`<h2>${title}</h2>`));
  if (!section) throw new Error(`no section ${title}`);
  return [...section.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((tr) => [...(tr[1] as string).matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => decode(c[1] as string)));
}
const row = (html: string, title: string, first: string) => rows(html, title).find((r) => r[0] === first);

describe('the staff page for footfall', () => {
  it('shows inside now, visitors per day, door and hour, the health hour counted at the door and the drift', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const clock = createManualClock(day(29, 10));
    const { app } = await startTestApp({ dataDir: dir, clock });
    defer(() => app.stop());
    const doors = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => doors.endAsync());
    await addStaff(app, 'page-staff', 'staff');
    await addStaff(app, 'page-committee', 'committee');

    // A health hour on Monday 14:30–15:30; three people sign up, a family of two checks in.
    const created = await call(app, 'POST', '/api/admin/health/events', {
      cookie: await loginCookie(app, 'page-staff'),
      body: { kind: 'lecture', title: { zh: '防跌倒讲座', en: 'Fall prevention talk' }, host: 'Dr Li Na', place: { zh: '多功能厅', en: 'Multi-purpose room' }, startsAt: day(30, 14, 30), endsAt: day(30, 15, 30), capacity: 10 },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const eventId = ((await created.json()) as { event: { id: number } }).event.id;
    const signUp = async (phone: string, people: number) => (await (await call(app, 'POST', `/api/health/events/${eventId}/signups`, { body: { phone, people, consent: true } })).json()) as { code: string };
    const family = await signUp('13900000001', 2);
    await signUp('13900000002', 1);

    // Sunday: 5 in at 10:00 (3 main, 2 garden), 4 out, 1 more in at 11:00; 2 still counted inside at
    // closing, of whom 1 leaves after it: a drift of 1.
    await count(app, doors, clock, 'door-main-in', [1, 1, 1]);
    await count(app, doors, clock, 'door-garden-in', [2]);
    await count(app, doors, clock, 'door-main-out', [1, 1, 1, 1]);
    clock.set(day(29, 11));
    await count(app, doors, clock, 'door-main-in', [1]);
    clock.set(day(29, 20, 45));
    await count(app, doors, clock, 'door-main-out', [1]);

    // Monday: 2 in at 09:00, then 4 in the health hour's window (from 14:00): 3 garden, 1 main.
    clock.set(day(30, 9));
    await count(app, doors, clock, 'door-main-in', [1, 1]);
    clock.set(day(30, 14, 5));
    await count(app, doors, clock, 'door-garden-in', [3]);
    await count(app, doors, clock, 'door-main-in', [1]);
    const checkIn = await call(app, 'POST', `/api/health/events/${eventId}/checkin`, { body: { lastFour: '0001', code: family.code } });
    expect(checkIn.status, await checkIn.clone().text()).toBe(200);

    // During the event the door count is marked as not final.
    clock.set(day(30, 14, 45));
    const staff = await loginCookie(app, 'page-staff');
    const during = await (await call(app, 'GET', '/reports/lounge?days=2&lang=zh', { cookie: staff })).text();
    expect(row(during, '健康YI小时活动', '2026-11-30 14:30–15:30')).toEqual(['2026-11-30 14:30–15:30', '防跌倒讲座 · 健康讲座', '3', '2', '4（进行中）']);

    clock.set(day(30, 16));
    const pages: Record<'zh' | 'en', string> = { zh: '', en: '' };
    for (const lang of ['zh', 'en'] as const) {
      const res = await call(app, 'GET', `/reports/lounge?days=2&lang=${lang}`, { cookie: staff });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      const html = await res.text();
      expect(html).toContain(`<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">`);
      // CSP-compatible and self-contained: no script, no inline style, nothing fetched from elsewhere.
      expect(html).not.toMatch(/<script|<style|\sstyle=|\son\w+=/i);
      expect(html).not.toMatch(/(src|href|action)="(https?:)?\/\//i);
      expect(html).toContain('<link rel="stylesheet" href="/reports/monthly.css">');
      // No personal data: no phone, no host's name.
      expect(html).not.toMatch(ANY_PHONE);
      expect(html).not.toContain('Li Na');
      pages[lang] = html;
    }
    const { zh, en } = pages;

    expect(rows(en, 'Now')).toEqual([['People inside now', '6'], ['Visitors today', '6'], ['Status', 'open']]);
    expect(rows(zh, '现在')).toEqual([['客厅内人数', '6'], ['今日访客', '6'], ['状态', '开放中']]);

    expect(rows(en, 'Visitors per day')).toEqual([
      ['Date', 'Visitors', 'Main door', 'Garden door', 'Busiest hour'],
      ['2026-11-29', '6', '4', '2', '10:00–11:00 (5)'],
      ['2026-11-30', '6', '3', '3', '14:00–15:00 (4)'],
      ['Total', '12', '7', '5', ''],
    ]);
    expect(row(zh, '每日访客', '日期')).toEqual(['日期', '访客人次', '正门', '花园门', '最忙的时段']);

    // Today per hour, with a text bar as long as the hour's visitors against the busiest hour.
    expect(rows(en, 'Today’s visitors per hour')).toEqual([
      ['Hour', 'Visitors', ''],
      ['09:00–10:00', '2', '█'.repeat(15)],
      ['14:00–15:00', '4', '█'.repeat(30)],
    ]);
    expect(en).toContain('<td class="bar">');

    expect(row(en, 'Health-hour events', '2026-11-30 14:30–15:30')).toEqual(['2026-11-30 14:30–15:30', 'Fall prevention talk · lecture', '3', '2', '4']);
    expect(en).toContain('from 30 minutes before the start');

    // Sunday's closing: 2 still counted inside, 1 left after closing; Monday has not closed yet.
    expect(rows(en, 'Closing-time resets (counter drift)')).toEqual([
      ['Date', 'Closed at', 'Still counted inside', 'Missed entries', 'Left after closing', 'Drift'],
      ['2026-11-29', '20:30', '2', '0', '1', '1'],
      ['Total', '', '2', '0', '1', '1'],
    ]);

    // The links between the two pages, keeping the language; the committee reads it too.
    expect(en).toContain('href="/reports/monthly?month=2026-11&amp;lang=en"');
    expect(zh).toContain('href="/reports/lounge?days=2&amp;lang=en"');
    const monthly = await (await call(app, 'GET', '/reports/monthly?month=2026-11&lang=en', { cookie: staff })).text();
    expect(monthly).toContain('<a href="/reports/lounge?days=7&amp;lang=en">Lounge footfall (last 7 days)</a>');
    const committee = await call(app, 'GET', '/reports/lounge', { cookie: await loginCookie(app, 'page-committee') });
    expect(committee.status).toBe(200);
    const byDefault = await committee.text();
    expect(byDefault).toContain('<html lang="zh-CN">');
    expect(byDefault).toContain('客厅客流 · 2026-11-24–2026-11-30');
  });

  it('refuses an anonymous request (401) and a bad range or language (400)', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const { app } = await startTestApp({ dataDir: dir, clock: createManualClock(day(30, 10)) });
    defer(() => app.stop());
    const anon = await call(app, 'GET', '/reports/lounge?days=7&lang=en');
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as { error: { code: string } }).error.code).toBe('TX_UNAUTHENTICATED');

    await addStaff(app, 'page-admin', 'admin');
    const admin = await loginCookie(app, 'page-admin');
    for (const bad of ['days=0', 'days=93', 'days=abc', 'days=1.5', 'lang=fr', 'days=7&lang=']) {
      const res = await call(app, 'GET', `/reports/lounge?${bad}`, { cookie: admin });
      expect(res.status, bad).toBe(400);
      expect(res.headers.get('content-type'), bad).toMatch(/^application\/json/);
      expect(((await res.json()) as { error: { code: string } }).error.code, bad).toBe('TX_BAD_REQUEST');
    }
    // A fresh site: a page of zeros that says so, not an error.
    const empty = await (await call(app, 'GET', '/reports/lounge?days=1&lang=en', { cookie: admin })).text();
    expect(rows(empty, 'Now')).toEqual([['People inside now', '0'], ['Visitors today', '0'], ['Status', 'open']]);
    expect(empty).toContain('No visitors yet today');
    expect(empty).toContain('No events in these days');
  });
});
