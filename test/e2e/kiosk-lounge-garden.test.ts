import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { applyOverrides } from '../../src/config/overrides.js';
import { createLogger } from '../../src/core/log.js';
import { KIOSK_DIST } from '../../src/http/server.js';
import { demoConfigWith } from '../helpers/app.js';
import { clippedElements, launchKioskBrowser, overflowingElements, waitForText, watchPageProblems, type KioskBrowser } from '../helpers/browser.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/**
 * The kiosk's lounge and garden screens against the real service (embedded broker, SQLite, HTTP with
 * its CSP) in real headless Chromium: door counters and soil probes publish over MQTT as devices do,
 * and the numbers, levels and watering on the screen follow without a reload.
 */
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');
const SITE = 'xianxia-demo';
const MIN = 60_000;
const DAY = 86_400_000;
/** Asia/Shanghai has no summer time: local midnight is 16:00 UTC. */
const SHANGHAI_OFFSET = 8 * 3_600_000;

let dataDir: string;
let app: RunningApp;
let client: MqttClient;
let browser: KioskBrowser | undefined;
let page: Page;
let watch: ReturnType<typeof watchPageProblems>;
let staff: string;
let eventId: number;
let mainFrameNavigations = 0;

/** A raw reading as a device sends it: JSON `{ value }` on sensor/<id>/raw, measured now. */
async function publish(sensorId: string, value: number): Promise<void> {
  await client.publishAsync(`tongxin/${SITE}/sensor/${sensorId}/raw`, JSON.stringify({ value }), { qos: 1 });
}

async function getJson<T>(path: string): Promise<T> {
  const res = await call(app, 'GET', path, { cookie: staff });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

interface BedJson {
  bedId: string;
  moisture: number | null;
  level: string;
  watering: boolean;
  reason: string;
}
const bedOf = async (bedId: string) => (await getJson<{ beds: BedJson[] }>('/api/garden')).beds.find((b) => b.bedId === bedId) as BedJson;

/** Polls until the element has (or has not) the attribute value. */
async function waitForAttr(locator: Locator, name: string, value: string | null, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  for (;;) {
    last = await locator.getAttribute(name, { timeout: 1_000 }).catch(() => null);
    if (last === value) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(locator)} [${name}] = ${JSON.stringify(value)}; last ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const visible = (locator: Locator) => locator.isVisible();
// What a resident sees: innerText leaves out hidden parts (an empty unit, a hidden icon's label).
const textOf = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

/** Visible text in Chinese, but for the button that switches back to it (named in Chinese on purpose). */
function visibleChinese(): Promise<string[]> {
  return page.evaluate(() => {
    const app = document.getElementById('app') as HTMLElement;
    const zhButton = document.querySelector('[data-testid="lang-zh"]');
    const out: string[] = [];
    const walker = document.createTreeWalker(app, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || zhButton?.contains(el) || !el.checkVisibility()) continue;
      if (/[\u3000-\u9fff\uff00-\uffef]/.test(n.textContent ?? '')) out.push((n.textContent ?? '').trim());
    }
    return out;
  });
}

/** Home, then a tile: the way a resident gets to a screen. */
async function open(screen: 'garden' | 'lounge' | 'waste', on: Page = page): Promise<void> {
  if (await on.getByTestId('nav-home').isVisible()) await on.getByTestId('nav-home').click();
  await on.getByTestId('screen-home').waitFor({ timeout: 5_000 });
  await on.getByTestId(`tile-${screen}`).click();
  await on.getByTestId(`screen-${screen}`).waitFor({ timeout: 5_000 });
}

/** Screenshots of the live screens at the three panel sizes in both languages; nothing may stick out or be cut off. */
async function fitsEverywhere(label: string, screens: readonly ('garden' | 'lounge' | 'waste')[]): Promise<void> {
  for (const lang of ['zh', 'en'] as const) {
    await page.getByTestId(`lang-${lang}`).click();
    for (const screen of screens) {
      await open(screen);
      for (const [w, h] of [
        [1920, 1080],
        [1280, 800],
        [800, 480],
      ] as const) {
        await page.setViewportSize({ width: w, height: h });
        await page.waitForTimeout(150);
        await page.screenshot({ path: join(ARTIFACTS, `kiosk-lounge-garden-${label}-${screen}-${lang}-${w}x${h}.png`) });
        expect(await overflowingElements(page), `${label}, ${screen}, ${lang} at ${w}×${h}`).toEqual([]);
        expect(await clippedElements(page), `${label}, ${screen}, ${lang} at ${w}×${h}`).toEqual([]);
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  }
}

let setupError: unknown;
beforeAll(async () => {
  try {
    if (!existsSync(join(KIOSK_DIST, 'index.html'))) {
      throw new Error(`The kiosk is not built (${KIOSK_DIST}/index.html is missing): run \`npm run build\` before these tests.`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'tongxin-kiosk-lg-'));
    // Nobody touches the screen during these tests: it must not go home by itself meanwhile.
    const base = await demoConfigWith((doc) => {
      doc.kiosk = { idleSeconds: 3600 };
      // One reading is a bin's fill and its level holds at once, so single readings show.
      doc.waste.fill = { ...doc.waste.fill, medianOf: 1, minDurationSeconds: 0 };
    });
    const config = applyOverrides(base, { dataDir, httpPort: 0, mqttPort: 0, mqttWsPort: 0, simulator: false, nodered: false });
    app = await startApp({ config, log: createLogger({ level: 'warn' }), ntpMarker: join(dataDir, 'no-ntp-marker') });
    client = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });

    // Today's health hour, on now. The doors count attendance only from when the service started
    // counting; say it has been counting since yesterday, so the window is counted rather than unknown.
    const now = Date.now();
    app.store.setMeta('lounge_counting_since', String(now - DAY));
    const midnight = Math.floor((now + SHANGHAI_OFFSET) / DAY) * DAY - SHANGHAI_OFFSET;
    const startsAt = Math.max(midnight, Math.floor(now / MIN) * MIN - 5 * MIN);
    await addStaff(app, 'kiosk-e2e-staff', 'staff');
    staff = await loginCookie(app, 'kiosk-e2e-staff');
    const created = await call(app, 'POST', '/api/admin/health/events', {
      cookie: staff,
      body: {
        kind: 'lecture',
        title: { zh: '防跌倒讲座', en: 'Fall prevention talk' },
        host: 'Dr Li Na',
        place: { zh: '多功能厅', en: 'Multi-purpose room' },
        startsAt,
        endsAt: startsAt + 120 * MIN,
        capacity: 20,
      },
    });
    if (created.status !== 201) throw new Error(`creating the event: HTTP ${created.status} ${await created.text()}`);
    eventId = ((await created.json()) as { event: { id: number } }).event.id;
    // A second one at the same time in another room, with a long title: two lines must still fit.
    const second = await call(app, 'POST', '/api/admin/health/events', {
      cookie: staff,
      body: {
        kind: 'digital-skills',
        title: { zh: '智能手机课堂：用手机挂号、看病历、付医药费（第二期）', en: 'Smartphone class: booking a doctor, reading your records and paying by phone (part two)' },
        host: 'Youth social work studio',
        place: { zh: '多功能厅', en: 'Multi-purpose room' },
        startsAt,
        endsAt: startsAt + 90 * MIN,
        capacity: 12,
      },
    });
    if (second.status !== 201) throw new Error(`creating the second event: HTTP ${second.status} ${await second.text()}`);

    browser = await launchKioskBrowser({ width: 1280, height: 800 });
    page = browser.page;
    watch = watchPageProblems(page);
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) mainFrameNavigations++;
    });
    await page.goto(app.httpUrl, { waitUntil: 'load' });
  } catch (err) {
    setupError = err;
  }
}, 30_000);

beforeEach(() => {
  if (setupError) throw setupError;
});

afterAll(async () => {
  await client?.endAsync().catch(() => undefined);
  await browser?.close();
  await app?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 20_000);

describe('kiosk lounge and garden screens (real service, real Chromium)', () => {
  it('shows nobody inside, nobody today, and today’s event not yet counted', async () => {
    expect(await waitForText(page.getByTestId('site-name'), /仙霞路/)).toMatch(/仙霞路/);
    await open('lounge');
    expect(await waitForText(page.getByTestId('people-inside'), /^0$/)).toBe('0');
    expect(await textOf(page.getByTestId('visits-today'))).toBe('0');
    // The captions say what the numbers are, in Chinese; the hours are there too.
    const lounge = page.getByTestId('screen-lounge');
    expect(await page.getByTestId('open-state').textContent()).toContain('开放时间 08:30–20:30');
    expect(await lounge.textContent()).toContain('现在在场');
    expect(await lounge.textContent()).toContain('今天来访');
    // "Devices online" is gone: it meant nothing to a resident.
    expect(await lounge.textContent()).not.toContain('设备在线');

    const event = page.getByTestId(`event-${eventId}`);
    expect(await waitForText(event, /防跌倒讲座/)).toMatch(/^\d\d:\d\d–\d\d:\d\d防跌倒讲座已来 0 人多功能厅$/);
    expect(await event.getAttribute('data-phase')).toBe('during');
  });

  it('follows the main door’s counters live: people inside, visitors today and the event’s attendance', async () => {
    const navigations = mainFrameNavigations;
    const inside = page.getByTestId('people-inside');
    const visits = page.getByTestId('visits-today');
    const event = page.getByTestId(`event-${eventId}`);

    // The beam counter reports people through since its last report, one message per count.
    await publish('door-main-in', 3);
    expect(await waitForText(inside, /^3$/)).toBe('3');
    expect(await waitForText(visits, /^3$/)).toBe('3');
    // The attendance comes from /api/lounge, read again after a lounge event (at most every 10 s).
    expect(await waitForText(event, /已来 3 人多功能厅$/, 12_000)).toMatch(/已来 3 人多功能厅$/);

    await publish('door-main-out', 1);
    expect(await waitForText(inside, /^2$/)).toBe('2');
    expect(await textOf(visits)).toBe('3');

    await publish('door-main-in', 2);
    expect(await waitForText(inside, /^4$/)).toBe('4');
    expect(await waitForText(visits, /^5$/)).toBe('5');
    expect(await waitForText(event, /已来 5 人多功能厅$/, 15_000)).toMatch(/已来 5 人多功能厅$/);

    // The screen says what the server says.
    const server = await getJson<{ inside: number; visitsToday: number; events: { id: number; attendance: { counted: number } }[] }>('/api/lounge');
    expect(server).toMatchObject({ inside: 4, visitsToday: 5 });
    expect(server.events.find((e) => e.id === eventId)?.attendance.counted).toBe(5);
    expect(mainFrameNavigations).toBe(navigations);
  }, 40_000);

  it('shows a bed’s moisture, level and watering, and follows a soil reading that changes its state', async () => {
    await open('garden');
    const bed = page.getByTestId('bed-bed-nectar');
    const moisture = page.getByTestId('bed-moisture-bed-nectar');
    const level = page.getByTestId('bed-level-bed-nectar');
    const watering = page.getByTestId('bed-watering-bed-nectar');

    // No probe has reported: no number, no level, and it says why.
    expect(await textOf(moisture)).toBe('—');
    expect(await visible(level)).toBe(false);
    expect(await textOf(page.getByTestId('bed-status-bed-nectar'))).toBe('暂无数据');

    // Dry: 498 counts is 20 % on both probes (560 → 0 %, 250 → 100 %).
    await publish('soil-nectar-a', 498);
    await publish('soil-nectar-b', 498);
    expect(await waitForText(moisture, /^20%$/)).toBe('20%');
    await waitForAttr(level, 'data-level', 'dry');
    expect(await textOf(level)).toBe('偏干');
    expect(await level.locator('svg:not([hidden])').count(), 'an icon with the word, not colour alone').toBe(1);
    expect(await visible(page.getByTestId('bed-status-bed-nectar'))).toBe(false);
    // A dry bed with a valve is watered unless a quiet time forbids it: the screen shows what the controller decided.
    const dry = await bedOf('bed-nectar');
    expect(dry).toMatchObject({ moisture: 20, level: 'dry' });
    expect(['dry', 'quiet-time']).toContain(dry.reason);
    await waitUntil('the watering badge to match the controller', async () => (await visible(watering)) === dry.watering);
    if (dry.watering) expect(await textOf(watering)).toBe('正在浇水');

    // Wet: 312 counts is 80 %; the level and the number change live, and watering stops.
    await publish('soil-nectar-a', 312);
    await publish('soil-nectar-b', 312);
    expect(await waitForText(moisture, /^80%$/)).toBe('80%');
    await waitForAttr(level, 'data-level', 'wet');
    expect(await textOf(level)).toBe('偏湿');
    expect(await level.evaluate((el) => el.classList.contains('level-wet') && !el.classList.contains('level-dry'))).toBe(true);
    await waitUntil('watering to stop', async () => !(await visible(watering)));
    expect((await bedOf('bed-nectar')).watering).toBe(false);
    expect(await bed.evaluate((el) => el.classList.contains('is-stale'))).toBe(false);
    expect(await textOf(page.getByTestId('sensor-soil-nectar-a'))).toBe('A 80%');
  }, 20_000);

  it('says so when no probe of a bed can be trusted, instead of showing a number', async () => {
    const moisture = page.getByTestId('bed-moisture-bed-herbs');
    const status = page.getByTestId('bed-status-bed-herbs');
    const probeA = page.getByTestId('sensor-soil-herbs-a');
    const probeB = page.getByTestId('sensor-soil-herbs-b');

    // Both outside the probes' valid raw range (150–700): out of the soil, or shorted.
    await publish('soil-herbs-a', 100);
    await publish('soil-herbs-b', 800);
    expect(await waitForText(status, /^探头读数不可靠$/)).toBe('探头读数不可靠');
    expect(await textOf(moisture)).toBe('—');
    expect(await visible(page.getByTestId('bed-level-bed-herbs'))).toBe(false);
    // Each probe still shows what it read, greyed and marked with an exclamation mark.
    expect(await textOf(probeA)).toBe('A 100%');
    expect(await probeA.locator('.probe-warn').isVisible()).toBe(true);
    expect(await probeB.locator('.probe-warn').isVisible()).toBe(true);
    expect((await bedOf('bed-herbs')).moisture).toBeNull();

    // One good reading is enough for a number again; the bad probe stays marked.
    await publish('soil-herbs-a', 405);
    expect(await waitForText(moisture, /^50%$/)).toBe('50%');
    expect(await visible(status)).toBe(false);
    expect(await textOf(page.getByTestId('bed-level-bed-herbs'))).toBe('适中');
    expect(await probeA.locator('.probe-warn').isVisible()).toBe(false);
    expect(await probeB.locator('.probe-warn').isVisible()).toBe(true);
  }, 20_000);

  it('shows "watering now" while staff water a bed by hand, and stops showing it when they stop', async () => {
    const watering = page.getByTestId('bed-watering-bed-herbs');
    expect(await visible(watering)).toBe(false);
    const on = await call(app, 'POST', '/api/garden/beds/bed-herbs/override', { cookie: staff, body: { state: 'on', minutes: 5 } });
    expect(on.status).toBe(200);
    await waitUntil('the watering badge', () => visible(watering));
    expect(await textOf(watering)).toBe('正在浇水');
    expect(await watering.locator('svg').count()).toBe(1);

    // Back to automatic: at 50 % the bed is above its high mark, so the valve closes.
    const auto = await call(app, 'POST', '/api/garden/beds/bed-herbs/override', { cookie: staff, body: { state: 'auto' } });
    expect(auto.status).toBe(200);
    await waitUntil('the watering badge to go', async () => !(await visible(watering)));
  }, 15_000);

  it('changes every new string to English and back', async () => {
    await page.getByTestId('lang-en').click();
    expect(await waitForText(page.getByTestId('site-name'), /Xianxia/)).toMatch(/Xianxia/);
    expect(await textOf(page.getByTestId('bed-level-bed-nectar'))).toBe('Wet');
    expect(await textOf(page.getByTestId('bed-level-bed-herbs'))).toBe('OK');
    expect(await textOf(page.getByTestId('bed-status-bed-medicinal'))).toBe('No data yet');
    expect(await visibleChinese()).toEqual([]);
    await open('lounge');
    const lounge = page.getByTestId('screen-lounge');
    expect(await lounge.textContent()).toContain('Inside now');
    expect(await lounge.textContent()).toContain('Visitors today');
    expect(await textOf(page.getByTestId(`event-${eventId}`))).toMatch(/^\d\d:\d\d–\d\d:\d\d Fall prevention talk 5 came so far Multi-purpose room$/);
    expect(await page.getByTestId('open-state').textContent()).toContain('Open 08:30–20:30');
    expect(await visibleChinese()).toEqual([]);

    await page.getByTestId('lang-zh').click();
    expect(await waitForText(lounge, /现在在场/)).toMatch(/今天来访/);
    expect(await lounge.textContent()).not.toMatch(/Inside now|Visitors today|came so far/);
    await open('garden');
    expect(await waitForText(page.getByTestId('bed-level-bed-nectar'), /偏湿/)).toBe('偏湿');
  });

  it('fits 1920×1080, 1280×800 and 800×480 in both languages with badges and an event (screenshots in test-artifacts/)', async () => {
    // Every bed reporting; one being watered by hand so its badge is on the screen too.
    await open('garden');
    for (const [sensorId, raw] of Object.entries({ 'soil-classroom-a': 500, 'soil-classroom-b': 496, 'soil-medicinal-a': 400, 'soil-medicinal-b': 390 })) await publish(sensorId, raw);
    expect((await call(app, 'POST', '/api/garden/beds/bed-classroom/override', { cookie: staff, body: { state: 'on', minutes: 5 } })).status).toBe(200);
    await waitUntil('the watering badge', () => visible(page.getByTestId('bed-watering-bed-classroom')));
    expect(await waitForText(page.getByTestId('bed-moisture-bed-medicinal'), /^53%$/)).toBe('53%');

    // First the bins with none reporting yet (a fresh install: "No data yet" in every row), then every
    // screen with every bin reporting, one nearly full and one full.
    await fitsEverywhere('nobins', ['waste']);
    const bins: Record<string, number> = { 'bin-p1-recyclable': 55, 'bin-p1-hazardous': 90, 'bin-p1-wet': 19, 'bin-p1-dry': 10, 'bin-p2-recyclable': 70, 'bin-p2-hazardous': 95, 'bin-p2-wet': 40, 'bin-p2-dry': 64 };
    for (const [sensorId, raw] of Object.entries(bins)) await publish(sensorId, raw);
    expect(await waitForText(page.getByTestId('bin-fill-p2-dry'), /^40$/)).toBe('40');
    await fitsEverywhere('bins', ['garden', 'lounge', 'waste']);
    await page.getByTestId('lang-zh').click();
    await page.setViewportSize({ width: 1280, height: 800 });
    // Body text at least 24 px at 1280×800 (KIOSK.md): the badges, the event line and a bin's words too.
    const fontPx = (locator: Locator) => locator.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    await open('garden');
    for (const id of ['bed-level-bed-nectar', 'bed-watering-bed-classroom']) expect(await fontPx(page.getByTestId(id)), id).toBeGreaterThanOrEqual(24);
    await open('lounge');
    expect(await fontPx(page.getByTestId(`event-${eventId}`))).toBeGreaterThanOrEqual(24);
    await open('waste');
    expect(await fontPx(page.getByTestId('bin-p1-dry').locator('.waste-fill-word'))).toBeGreaterThanOrEqual(24);
    expect(await fontPx(page.getByTestId('point-p1').locator('.waste-point-place'))).toBeGreaterThanOrEqual(24);
    await call(app, 'POST', '/api/garden/beds/bed-classroom/override', { cookie: staff, body: { state: 'auto' } });
  }, 45_000);

  it('falls back to the sensors’ own readings when the garden’s state is missing, until a state arrives', async () => {
    // A second screen whose /api/garden fails (as when the garden module is down); the live stream works.
    const other = await (browser as KioskBrowser).context.newPage();
    try {
      await other.route('**/api/garden', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"TX_UNAVAILABLE","message":"down"}}' }));
      await other.goto(app.httpUrl, { waitUntil: 'load' });
      await open('garden', other);
      // Medicinal: 400 and 390 counts are 51.6 % and 54.8 %, median 53 %; no level without the controller.
      expect(await waitForText(other.getByTestId('bed-moisture-bed-medicinal'), /^53%$/)).toBe('53%');
      expect(await other.getByTestId('bed-level-bed-medicinal').isVisible()).toBe(false);
      expect(await other.getByTestId('bed-status-bed-medicinal').isVisible()).toBe(false);

      // A change of level goes out on the live stream at once, and the controller's state takes over.
      await publish('soil-medicinal-a', 312);
      await publish('soil-medicinal-b', 312);
      await waitForAttr(other.getByTestId('bed-level-bed-medicinal'), 'data-level', 'wet');
      expect(await waitForText(other.getByTestId('bed-moisture-bed-medicinal'), /^80%$/)).toBe('80%');
      expect(await textOf(other.getByTestId('bed-level-bed-medicinal'))).toBe('偏湿');
    } finally {
      await other.close();
    }
  }, 20_000);

  it('logged no console errors, page errors or CSP violations', () => {
    expect(watch.problems).toEqual([]);
  });
});
