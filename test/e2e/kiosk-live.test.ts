import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { applyOverrides } from '../../src/config/overrides.js';
import type { SiteConfig } from '../../src/config/schema.js';
import { createLogger } from '../../src/core/log.js';
import { KIOSK_DIST } from '../../src/http/server.js';
import { demoConfigWith } from '../helpers/app.js';
import { clippedElements, launchKioskBrowser, overflowingElements, waitForText, waitForVisible, watchPageProblems, type KioskBrowser } from '../helpers/browser.js';

/**
 * The real service in-process (embedded broker, SQLite, HTTP with its CSP) and the built kiosk in
 * real headless Chromium: a reading published over MQTT must reach the garden and waste screens
 * without a reload, and every screen must say so when the live stream stops, and recover by itself
 * when it comes back.
 */
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');

let dataDir: string;
let base: SiteConfig;
let app: RunningApp | undefined;
let client: MqttClient | undefined;
let browser: KioskBrowser | undefined;
let page: Page;
let watch: ReturnType<typeof watchPageProblems>;
let mainFrameNavigations = 0;

async function boot(httpPort = 0): Promise<RunningApp> {
  const config = applyOverrides(base, { dataDir, httpPort, mqttPort: 0, mqttWsPort: 0, simulator: false, nodered: false });
  return startApp({ config, log: createLogger({ level: 'warn' }), ntpMarker: join(dataDir, 'no-ntp-marker') });
}

async function publish(value: number, sensorId = 'soil-classroom-a'): Promise<void> {
  if (!app) throw new Error('app not running');
  client ??= await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
  await client.publishAsync(`tongxin/xianxia-demo/sensor/${sensorId}/raw`, JSON.stringify({ value }), { qos: 1 });
}

/** Home, then a tile: the way a resident gets to a screen. */
async function open(screen: 'home' | 'garden' | 'waste' | 'lounge'): Promise<void> {
  if (await page.getByTestId('nav-home').isVisible()) await page.getByTestId('nav-home').click();
  await page.getByTestId('screen-home').waitFor({ timeout: 5_000 });
  if (screen !== 'home') await page.getByTestId(`tile-${screen}`).click();
  await page.getByTestId(`screen-${screen}`).waitFor({ timeout: 5_000 });
}

async function screenshot(name: string, width: number, height: number): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}x${height}.png`) });
}

// A missing build or browser must fail every test with the reason, never skip them: a failed
// beforeAll alone would show the tests as skipped.
let setupError: unknown;
beforeAll(async () => {
  try {
    if (!existsSync(join(KIOSK_DIST, 'index.html'))) {
      throw new Error(`The kiosk is not built (${KIOSK_DIST}/index.html is missing): run \`npm run build\` (or \`npx vite build kiosk-ui\`) before these tests.`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'tongxin-kiosk-e2e-'));
    base = await demoConfigWith((doc) => {
      // Nobody touches the screen during these tests: it must not go home by itself meanwhile.
      doc.kiosk = { idleSeconds: 3600 };
      // One reading is a bin's fill and its level holds at once, so single readings show.
      doc.waste.fill = { ...doc.waste.fill, medianOf: 1, minDurationSeconds: 0 };
    });
    app = await boot();
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

describe('kiosk live readings (real service, real Chromium)', () => {
  it('shows the site in Chinese, marked as sample data', async () => {
    expect(await waitForText(page.getByTestId('site-name'), /仙霞路共享客厅/)).toBe('仙霞路共享客厅（示例）');
    expect(await page.getByTestId('sample-badge').textContent()).toBe('示例数据');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await open('garden');
    expect(await page.getByTestId('screen-garden').locator('h1').textContent()).toBe('口袋花园');
    // Shanghai time, whatever the browser's own zone (the helper sets Europe/London).
    const clock = await waitForText(page.getByTestId('clock'), /^\d\d:\d\d$/);
    const shanghai = (ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
    expect([shanghai(Date.now()), shanghai(Date.now() - 60_000)]).toContain(clock);
    expect(await page.getByTestId('live-banner').isVisible()).toBe(false);
  });

  it('updates a reading published over MQTT without a reload', async () => {
    const probe = page.getByTestId('sensor-soil-classroom-a');
    const bed = page.getByTestId('bed-moisture-bed-classroom');
    const navigations = mainFrameNavigations;

    await publish(405); // 560 → 0 %, 250 → 100 %: 50 %
    expect(await waitForText(probe, /(?<!\d)50%/)).toMatch(/(?<!\d)50%/);
    expect(await waitForText(bed, /^50%$/)).toBe('50%');

    await publish(343); // 70 %
    // The bed shows the garden controller's state, which sends a change of the numbers alone at most
    // every 5 s (its tick is 5 s too): allow for both.
    expect(await waitForText(probe, /(?<!\d)70%/, 15_000)).toMatch(/(?<!\d)70%/);
    expect(await waitForText(bed, /^70%$/, 15_000)).toBe('70%');
    expect(await page.getByTestId('bed-level-bed-classroom').textContent()).toBe('适中');
    expect(mainFrameNavigations).toBe(navigations);
  }, 40_000);

  it('stays live through a quiet spell longer than the 20 s watchdog (no readings, no banner)', async () => {
    // The server's keep-alive is an SSE comment that EventSource never surfaces; the page reopens a
    // silent stream after 15 s and the fresh `hello` proves it is still live.
    const banner = page.getByTestId('live-banner');
    const until = Date.now() + 23_000;
    while (Date.now() < until) {
      expect(await banner.isVisible(), 'banner shown during a quiet but healthy spell').toBe(false);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(await page.getByTestId('sensor-soil-classroom-a').textContent()).toMatch(/(?<!\d)70%/);
  }, 30_000);

  it('switches to English and back', async () => {
    await page.getByTestId('lang-en').click();
    expect(await waitForText(page.getByTestId('site-name'), /Xianxia/)).toBe('Xianxia Road Shared Lounge (sample)');
    expect(await page.getByTestId('screen-garden').locator('h1').textContent()).toBe('Pocket garden');
    expect(await page.getByTestId('sample-badge').textContent()).toBe('Sample data');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByTestId('lang-en').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('sensor-soil-classroom-a').textContent()).toMatch(/(?<!\d)70%/);
    expect(await page.locator('body').textContent()).not.toMatch(/花园|垃圾分类|适中/);

    await page.getByTestId('lang-zh').click();
    expect(await waitForText(page.getByTestId('screen-garden').locator('h1'), /花园/)).toBe('口袋花园');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  }, 20_000);

  it('shows each bin’s fill live, with "nearly full" and "full" in words (screenshots of every live screen at three sizes)', async () => {
    await open('waste');
    // A realistic site: most sensors reporting, one bin nearly full and one full, one bed silent.
    const raws: Record<string, number> = {
      'soil-classroom-b': 390,
      'soil-nectar-a': 450,
      'soil-nectar-b': 470,
      'soil-medicinal-a': 300,
      'soil-medicinal-b': 320,
      'bin-p1-recyclable': 55,
      'bin-p1-hazardous': 90,
      'bin-p1-wet': 30,
      'bin-p1-dry': 10,
      'bin-p2-recyclable': 70,
      'bin-p2-hazardous': 95,
      'bin-p2-wet': 40,
      'bin-p2-dry': 64,
    };
    for (const [sensorId, raw] of Object.entries(raws)) await publish(raw, sensorId);
    // Ultrasonic distance: 100 cm is empty, 10 cm full.
    expect(await waitForText(page.getByTestId('bin-fill-p1-dry'), /^100$/)).toBe('100');
    expect(await waitForText(page.getByTestId('bin-fill-p2-dry'), /^40$/)).toBe('40');
    expect(await waitForText(page.getByTestId('bin-p1-dry'), /已满/)).toContain('已满');
    expect(await waitForText(page.getByTestId('bin-p1-wet'), /快满了/)).toMatch(/78%.*快满了/);
    expect(await page.getByTestId('bin-p1-recyclable').textContent()).not.toMatch(/快满了|已满/);
    // The category's colour always comes with its name and its icon.
    expect(await page.getByTestId('bin-p1-hazardous').locator('.waste-cat').textContent()).toBe('有害垃圾');
    expect(await page.getByTestId('bin-p1-hazardous').locator('.waste-cat svg').count()).toBe(1);

    for (const lang of ['zh', 'en'] as const) {
      await page.getByTestId(`lang-${lang}`).click();
      for (const screen of ['home', 'garden', 'waste', 'lounge'] as const) {
        await open(screen);
        for (const [w, h] of [
          [1920, 1080],
          [1280, 800],
          [800, 480],
        ] as const) {
          await screenshot(`kiosk-${screen}${lang === 'zh' ? '' : '-en'}`, w, h);
          expect(await overflowingElements(page), `${screen} in ${lang} at ${w}×${h}`).toEqual([]);
          expect(await clippedElements(page), `${screen} in ${lang} at ${w}×${h}`).toEqual([]);
          const scroll = await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
          expect(scroll, `no horizontal scroll on ${screen} at ${w}×${h}`).toBeLessThanOrEqual(0);
        }
        await page.setViewportSize({ width: 1280, height: 800 });
      }
    }
    await page.getByTestId('lang-zh').click();
    // Body text at least 24 px at 1280×800 (KIOSK.md), buttons at least 48 px high at 800×480.
    await open('garden');
    await page.setViewportSize({ width: 1280, height: 800 });
    const fontPx = await page.getByTestId('bed-bed-classroom').locator('h2').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontPx).toBeGreaterThanOrEqual(24);
    await page.setViewportSize({ width: 800, height: 480 });
    for (const id of ['lang-en', 'nav-home', 'nav-back']) expect((await page.getByTestId(id).boundingBox())?.height, id).toBeGreaterThanOrEqual(48);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 60_000);

  it('says "not live since HH:MM" on every screen while the server is down, greys the numbers, and recovers by itself', async () => {
    const banner = page.getByTestId('live-banner');
    const port = Number(new URL((app as RunningApp).httpUrl).port);

    await page.getByTestId('lang-zh').click();
    await open('garden');
    watch.setPhase('outage'); // the browser logs its failed reconnects as errors: expected now
    await client?.endAsync();
    client = undefined;
    await (app as RunningApp).stop();
    app = undefined;

    await waitForVisible(banner, true, 25_000);
    expect(await banner.textContent()).toMatch(/^实时数据已中断，最后更新 \d\d:\d\d$/);
    // The numbers stay, marked as old: greyed, with the banner saying why.
    const number = page.getByTestId('bed-moisture-bed-classroom').locator('.num');
    expect(await number.textContent()).toMatch(/^\d+$/);
    expect(await page.locator('.kiosk').evaluate((el) => el.classList.contains('not-live'))).toBe(true);
    expect(await number.evaluate((el) => getComputedStyle(el).color)).not.toBe('rgb(17, 17, 17)');
    await screenshot('kiosk-not-live', 1280, 800);
    expect(await overflowingElements(page), 'zh with the banner').toEqual([]);
    expect(await clippedElements(page), 'zh with the banner').toEqual([]);
    for (const screen of ['home', 'waste', 'lounge'] as const) {
      await open(screen);
      expect(await banner.isVisible(), `banner on ${screen}`).toBe(true);
    }
    await page.getByTestId('lang-en').click();
    expect(await waitForText(banner, /^Not live since \d\d:\d\d$/)).toMatch(/Not live since/);
    for (const screen of ['garden', 'waste', 'lounge'] as const) {
      await open(screen);
      await screenshot(`kiosk-not-live-en-${screen}`, 800, 480);
      expect(await overflowingElements(page), `en at 800×480 with the banner on ${screen}`).toEqual([]);
      expect(await clippedElements(page), `en at 800×480 with the banner on ${screen}`).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('lang-zh').click();
    await open('garden');

    app = await boot(port);
    await waitForVisible(banner, false, 15_000);
    watch.setPhase('normal');
    expect(await page.locator('.kiosk').evaluate((el) => el.classList.contains('not-live'))).toBe(false);
    // The latest value comes back from the store after the restart, and new readings flow again.
    expect(await waitForText(page.getByTestId('sensor-soil-classroom-a'), /(?<!\d)70%/)).toMatch(/(?<!\d)70%/);
    await publish(405);
    expect(await waitForText(page.getByTestId('sensor-soil-classroom-a'), /(?<!\d)50%/, 15_000)).toMatch(/(?<!\d)50%/);
  }, 70_000);

  it('logged no console errors, page errors or CSP violations', () => {
    const csp = watch.problems.filter((p) => /Content Security Policy|Refused to/i.test(p.text));
    expect(csp).toEqual([]);
    // While the server was stopped on purpose, only failed network requests may be reported.
    const unexpected = watch.problems.filter((p) => p.phase !== 'outage' || p.kind === 'pageerror' || !/ERR_CONNECTION_REFUSED|Failed to load resource|net::ERR_/i.test(p.text));
    expect(unexpected).toEqual([]);
  });
});
