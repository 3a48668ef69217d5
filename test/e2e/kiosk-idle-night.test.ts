import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { KIOSK_DIST } from '../../src/http/server.js';
import { demoConfigWith, startTestApp, tempDir, testConfig } from '../helpers/app.js';
import { launchKioskBrowser, waitForText, waitForVisible, watchPageProblems, type KioskBrowser } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';

/**
 * Idle time and night mode against the real service in real Chromium, with a short idle time from the
 * site file (`kiosk.idleSeconds: 2`, `promptSeconds: 2`). The page's clock is Playwright's fake clock,
 * set to a chosen Shanghai time of day (the browser's own zone is London), so the lounge is open or
 * closed whatever the hour the tests run at; the server keeps its real clock.
 */
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');
const IDLE_MS = 2_000;
const PROMPT_MS = 2_000;

let cleanup: () => void = () => undefined;
let app: RunningApp;
let browser: KioskBrowser | undefined;
let page: Page;
let watch: ReturnType<typeof watchPageProblems>;

/** Today's date in Shanghai at a local time: the page's clock is set to it. */
function shanghaiToday(hhmm: string): number {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
  return Date.parse(`${date}T${hhmm}:00+08:00`);
}

async function open(screen: 'garden' | 'waste' | 'lounge'): Promise<void> {
  if (await page.getByTestId('nav-home').isVisible()) await page.getByTestId('nav-home').click();
  await page.getByTestId('screen-home').waitFor({ timeout: 5_000 });
  await page.getByTestId(`tile-${screen}`).click();
  await page.getByTestId(`screen-${screen}`).waitFor({ timeout: 5_000 });
}

/**
 * A finger's tap in the middle of an element: touch events through the DevTools protocol, after which
 * Chromium sends the compatibility mouse events and the click to whatever is under the finger then.
 * (A mouse click would hide the "ghost click" that makes a waking tap press a button underneath.)
 */
async function tapAt(locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${String(locator)} is not on screen`);
  await tap({ x: box.x + box.width / 2, y: box.y + box.height / 2 });
}

async function tap(point: { x: number; y: number }): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  } finally {
    await cdp.detach();
  }
  await page.waitForTimeout(100);
}

/** Marks an element, so a test can tell whether it was rebuilt (a reset remounts every screen). */
const mark = (locator: Locator) => locator.evaluate((el) => el.setAttribute('data-test-mark', 'before'));
const marked = (locator: Locator) => locator.evaluate((el) => el.getAttribute('data-test-mark') === 'before');

let setupError: unknown;
beforeAll(async () => {
  try {
    if (!existsSync(join(KIOSK_DIST, 'index.html'))) throw new Error(`The kiosk is not built (${KIOSK_DIST}/index.html is missing): run \`npm run build\` first.`);
    const tmp = tempDir('tongxin-kiosk-idle-');
    cleanup = tmp.remove;
    const base = await demoConfigWith((doc) => {
      doc.kiosk = { idleSeconds: IDLE_MS / 1000, promptSeconds: PROMPT_MS / 1000 };
    });
    ({ app } = await startTestApp({ dataDir: tmp.dir, config: testConfig(tmp.dir, {}, base) }));
    browser = await launchKioskBrowser({ width: 1280, height: 800 });
    page = browser.page;
    watch = watchPageProblems(page);
    // Mid-morning in Shanghai: the lounge (08:30–20:30) is open.
    await page.clock.install({ time: shanghaiToday('10:00') });
    await page.goto(app.httpUrl, { waitUntil: 'load' });
    await page.getByTestId('screen-home').waitFor({ timeout: 10_000 });
  } catch (err) {
    setupError = err;
  }
}, 40_000);

beforeEach(() => {
  if (setupError) throw setupError;
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  cleanup();
}, 20_000);

describe('kiosk idle time and night mode (real service, real Chromium, the page on a fake clock)', () => {
  it('serves the idle times from the site file', async () => {
    const res = await fetch(`${app.httpUrl}/api/site`);
    expect(((await res.json()) as { kiosk: unknown }).kiosk).toEqual({ idleSeconds: 2, promptSeconds: 2 });
  });

  it('asks "Still there?" off the home screen after the idle time; Continue keeps the screen and choices', async () => {
    await open('garden');
    await page.getByTestId('lang-en').click();
    await page.getByTestId('large-text').click();
    const garden = page.getByTestId('screen-garden');
    await mark(garden);
    const prompt = page.getByTestId('idle-prompt');
    await waitForVisible(prompt, true, IDLE_MS + 2_000);
    expect(await prompt.locator('h2').textContent()).toBe('Still there?');
    expect(Number(await page.getByTestId('idle-countdown').textContent())).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('idle-continue').textContent()).toBe('Continue');
    await page.screenshot({ path: join(ARTIFACTS, 'kiosk-idle-prompt-1280x800.png') });
    expect(await axeViolations(page), 'the prompt').toEqual([]);

    await page.getByTestId('idle-continue').click();
    await waitForVisible(prompt, false, 2_000);
    expect(await garden.isVisible()).toBe(true);
    expect(await marked(garden), 'the screen was not rebuilt').toBe(true);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('html').evaluate((el) => el.classList.contains('large-text'))).toBe(true);
  });

  it('counts any touch as activity: tapping now and then keeps the prompt away', async () => {
    const prompt = page.getByTestId('idle-prompt');
    const title = page.getByTestId('screen-garden').locator('h1');
    // Over twice the idle time, a harmless tap (on the title) every 600 ms.
    for (let i = 0; i < 8; i++) {
      await tapAt(title);
      await page.waitForTimeout(600);
      expect(await prompt.isVisible(), `prompt after ${(i + 1) * 0.6} s of tapping`).toBe(false);
    }
    await waitForVisible(prompt, true, IDLE_MS + 2_000);
    // A tap anywhere on the prompt counts as "still here" too, and presses nothing under it (here: Back).
    const back = await page.getByTestId('nav-back').boundingBox();
    await tap({ x: (back?.x ?? 0) + 10, y: (back?.y ?? 0) + 10 });
    await waitForVisible(prompt, false, 2_000);
    expect(await page.getByTestId('screen-garden').isVisible()).toBe(true);
  });

  it('returns home when nobody answers: Chinese, normal text, every screen rebuilt', async () => {
    await open('waste');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await waitForVisible(page.getByTestId('idle-prompt'), true, IDLE_MS + 2_000);
    // Nobody answers: home (resting on the attract screen in opening hours), and every choice undone.
    await waitForVisible(page.getByTestId('attract-screen'), true, PROMPT_MS + 2_000);
    expect(await page.getByTestId('idle-prompt').isVisible()).toBe(false);
    expect(await page.getByTestId('screen-home').count()).toBe(1);
    expect(await page.getByTestId('screen-waste').count()).toBe(0);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('html').evaluate((el) => el.classList.contains('large-text'))).toBe(false);
    expect(await page.getByTestId('lang-zh').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('large-text').getAttribute('aria-pressed')).toBe('false');
  });

  it('clears a half-filled form when nobody answers: a half-raised concern is gone when the next resident comes', async () => {
    if (await page.getByTestId('attract-screen').isVisible()) await tapAt(page.getByTestId('attract-screen'));
    await page.getByTestId('screen-home').waitFor({ timeout: 5_000 });
    await page.getByTestId('tile-concerns').click();
    await page.getByTestId('concerns-raise').click();
    await page.getByTestId('concern-category-waste').click();
    await page.getByTestId('phrase-smell').click();
    expect(await page.getByTestId('phrase-smell').getAttribute('aria-pressed')).toBe('true');
    // Walk away: the prompt, then home.
    await waitForVisible(page.getByTestId('idle-prompt'), true, IDLE_MS + 2_000);
    await waitForVisible(page.getByTestId('attract-screen'), true, PROMPT_MS + 2_000);
    // The next resident wakes the kiosk and opens the same form: nothing of the last one is left.
    await tapAt(page.getByTestId('attract-screen'));
    await page.getByTestId('screen-home').waitFor({ timeout: 5_000 });
    await page.getByTestId('tile-concerns').click();
    await page.getByTestId('concerns-raise').click();
    expect(await page.getByTestId('concern-category-waste').getAttribute('aria-pressed')).toBe('false');
    await page.getByTestId('concern-category-waste').click();
    expect(await page.getByTestId('phrase-smell').getAttribute('aria-pressed')).toBe('false');
    await page.getByTestId('nav-home').click();
    // Left as the next test expects it: resting on the attract screen.
    await waitForVisible(page.getByTestId('attract-screen'), true, IDLE_MS + 2_000);
  });

  it('shows the attract screen while idle in opening hours; the waking tap presses nothing under it', async () => {
    const attract = page.getByTestId('attract-screen');
    expect(await attract.isVisible()).toBe(true);
    const text = (await attract.textContent()) ?? '';
    expect(text).toContain('欢迎！轻触屏幕开始');
    expect(text).toContain('今天的活动');
    // Which waste points are open, and the garden's beds.
    expect(await page.getByTestId('attract-point-p2').textContent()).toContain('全天开放');
    expect(await page.getByTestId('attract-bed-bed-herbs').textContent()).toContain('香草区');
    await page.screenshot({ path: join(ARTIFACTS, 'kiosk-attract-1280x800.png') });
    expect(await axeViolations(page), 'the attract screen').toEqual([]);

    const home = page.getByTestId('screen-home');
    await mark(home);
    // The tap lands where the Garden tile is: it wakes the kiosk and does not open the garden.
    await tapAt(page.getByTestId('tile-garden'));
    await waitForVisible(attract, false, 2_000);
    await page.waitForTimeout(300);
    expect(await home.isVisible()).toBe(true);
    expect(await page.getByTestId('screen-garden').count()).toBe(0);
    // Resting on the home screen needs no prompt: it rests again, and the home screen is rebuilt.
    await waitForVisible(attract, true, IDLE_MS + 2_000);
    expect(await page.getByTestId('idle-prompt').isVisible()).toBe(false);
    expect(await marked(home), 'home rebuilt on reset').toBe(false);
    await tap({ x: 640, y: 400 });
    await waitForVisible(attract, false, 2_000);
  });

  it('dims to the night screen outside the lounge’s hours, with the clock and the next opening, in the site’s zone', async () => {
    // 22:40 in Shanghai (14:40 in the browser's own London zone, when the lounge would be open).
    await page.clock.setSystemTime(shanghaiToday('22:40'));
    const night = page.getByTestId('night-screen');
    await waitForVisible(night, true, IDLE_MS + 3_000);
    expect(await page.getByTestId('attract-screen').count()).toBe(0);
    expect(await waitForText(page.getByTestId('night-clock'), /^22:4\d$/)).toMatch(/^22:4\d$/);
    expect(await page.getByTestId('night-opens').textContent()).toBe('明天 08:30 开门');
    expect(await night.textContent()).toContain('客厅已关门');
    // Dark: a black screen with grey text.
    expect(await night.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(0, 0, 0)');
    expect(await night.evaluate((el) => getComputedStyle(el).color)).not.toBe('rgb(255, 255, 255)');
    // Only the clock and the opening: the top bar and the tiles are covered.
    const box = await night.boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 1280, height: 800 });
    await page.screenshot({ path: join(ARTIFACTS, 'kiosk-night-1280x800.png') });
    expect(await axeViolations(page), 'the night screen').toEqual([]);
    await page.setViewportSize({ width: 800, height: 480 });
    await page.screenshot({ path: join(ARTIFACTS, 'kiosk-night-800x480.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // A touch wakes it, on the English button's spot: the language stays Chinese.
    await tapAt(page.getByTestId('lang-en'));
    await waitForVisible(night, false, 2_000);
    await page.waitForTimeout(300);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    // Awake, the kiosk works as in the day; the lounge screen says it is closed until tomorrow.
    await open('lounge');
    expect(await page.getByTestId('open-state').getAttribute('data-open')).toBe('false');
    expect(await page.getByTestId('open-state').textContent()).toContain('明天 08:30 开门');
    // Off the home screen at night: the prompt first, then home and the night screen again.
    await waitForVisible(page.getByTestId('idle-prompt'), true, IDLE_MS + 2_000);
    await waitForVisible(night, true, PROMPT_MS + 2_000);
    expect(await page.getByTestId('screen-home').count()).toBe(1);
  });

  it('wakes into the day: at opening time the resting kiosk shows the attract screen again', async () => {
    await page.clock.setSystemTime(shanghaiToday('08:35') + 86_400_000);
    await waitForVisible(page.getByTestId('attract-screen'), true, 3_000);
    expect(await page.getByTestId('night-screen').count()).toBe(0);
  });

  it('logged no console errors, page errors or CSP violations', () => {
    expect(watch.problems).toEqual([]);
  });
});
