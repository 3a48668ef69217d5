import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { KIOSK_DIST } from '../../src/http/server.js';
import { startTestApp, tempDir } from '../helpers/app.js';
import { launchKioskBrowser, watchPageProblems, type KioskBrowser } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/**
 * Every kiosk screen, whatever it shows: reachable from home by taps, translated completely (after
 * switching to English no Chinese is left on screen, except the button that switches back), free of
 * serious or critical accessibility problems (axe-core), and photographed at 1280×800 and 800×480.
 */
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/kiosk');
const SCREENS = ['home', 'services', 'health', 'garden', 'waste', 'lounge', 'concerns'] as const;
const SIZES = [
  [1280, 800],
  [800, 480],
] as const;
const HAN = /\p{Script=Han}/u;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

let cleanup: () => void = () => undefined;
let app: RunningApp;
let browser: KioskBrowser | undefined;
let page: Page;
let watch: ReturnType<typeof watchPageProblems>;

async function open(screen: (typeof SCREENS)[number]): Promise<void> {
  if ((await page.getByTestId('nav-home').count()) > 0) await page.getByTestId('nav-home').click();
  await page.getByTestId('screen-home').waitFor({ timeout: 5_000 });
  if (screen !== 'home') await page.getByTestId(`tile-${screen}`).click();
  await page.getByTestId(`screen-${screen}`).waitFor({ timeout: 5_000 });
  // Screens fetch their data on arrival; give it a moment so what is checked is what a resident sees.
  await page.waitForTimeout(700);
}

/** The text of every visible element's own text nodes, one entry per element. */
function visibleTexts(): Promise<{ text: string; lang: string | null }[]> {
  return page.evaluate(() => {
    const out: { text: string; lang: string | null }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').trim();
      const el = n.parentElement;
      if (!text || !el) continue;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (style.visibility === 'hidden' || style.display === 'none' || box.width === 0 || box.height === 0) continue;
      out.push({ text, lang: el.closest('[lang]')?.getAttribute('lang') ?? null });
    }
    return out;
  });
}

let setupError: unknown;
beforeAll(async () => {
  try {
    if (!existsSync(join(KIOSK_DIST, 'index.html'))) throw new Error(`The kiosk is not built (${KIOSK_DIST}/index.html is missing): run \`npm run build\` first.`);
    mkdirSync(ARTIFACTS, { recursive: true });
    const tmp = tempDir('tongxin-kiosk-screens-');
    cleanup = tmp.remove;
    ({ app } = await startTestApp({ dataDir: tmp.dir }));
    // Something on every screen: an event tomorrow with places, and a concern on the board.
    await addStaff(app, 'screens-staff', 'staff');
    const staff = await loginCookie(app, 'screens-staff');
    const startsAt = Math.floor((Date.now() + DAY) / MIN) * MIN;
    const created = await call(app, 'POST', '/api/admin/health/events', {
      cookie: staff,
      body: { kind: 'lecture', title: { zh: '防跌倒讲座', en: 'Fall prevention talk' }, host: 'Dr Li Na', place: { zh: '多功能厅', en: 'Multi-purpose room' }, startsAt, endsAt: startsAt + 60 * MIN, capacity: 20 },
    });
    if (created.status !== 201) throw new Error(`creating the event: HTTP ${created.status} ${await created.text()}`);
    browser = await launchKioskBrowser({ width: 1280, height: 800 });
    page = browser.page;
    watch = watchPageProblems(page);
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

describe('every kiosk screen', () => {
  it.each(SCREENS)('%s: translated completely when English is chosen, and back', async (screen) => {
    await page.getByTestId('lang-zh').click();
    await open(screen);
    const zh = await visibleTexts();
    expect(zh.some((t) => HAN.test(t.text)), 'Chinese by default').toBe(true);
    await page.getByTestId('lang-en').click();
    await page.waitForTimeout(300);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    // The switch back to Chinese is named in Chinese on purpose, so a Chinese reader can find it.
    const leftovers = (await visibleTexts()).filter((t) => HAN.test(t.text) && t.lang !== 'zh-CN').map((t) => t.text);
    expect(leftovers, `untranslated text on ${screen}`).toEqual([]);
    await page.getByTestId('lang-zh').click();
  }, 20_000);

  it.each(SCREENS)('%s: no serious or critical accessibility violations (axe-core), in both languages and large text', async (screen) => {
    for (const lang of ['zh', 'en'] as const) {
      await page.getByTestId(`lang-${lang}`).click();
      await open(screen);
      expect(await axeViolations(page), `${screen} in ${lang}`).toEqual([]);
    }
    await page.getByTestId('large-text').click();
    expect(await axeViolations(page), `${screen} in large text`).toEqual([]);
    await page.getByTestId('large-text').click();
    await page.getByTestId('lang-zh').click();
  }, 30_000);

  it.each(SCREENS)('%s: screenshots at 1280×800 and 800×480, with Home and Back on screen', async (screen) => {
    await open(screen);
    for (const [w, h] of SIZES) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(200);
      await page.screenshot({ path: join(ARTIFACTS, `screen-${screen}-${w}x${h}.png`) });
      // Every tappable thing is at least 48 px each way.
      const small = await page.evaluate(() =>
        Array.from(document.querySelectorAll('button, a[href], input, [role="button"]'))
          .map((el) => ({ el, r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0 && r.height > 0 && (r.width < 47.5 || r.height < 47.5))
          .map(({ el, r }) => `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`),
      );
      expect(small, `targets under 48 px on ${screen} at ${w}×${h}`).toEqual([]);
      if (screen !== 'home') {
        for (const id of ['nav-home', 'nav-back']) {
          const box = await page.getByTestId(id).boundingBox();
          expect(box, `${id} on ${screen} at ${w}×${h}`).not.toBeNull();
          expect((box?.y ?? 0) + (box?.height ?? 0), `${id} within the screen`).toBeLessThanOrEqual(h + 1);
          // Low down, where a wheelchair user reaches: in the lower half.
          expect(box?.y ?? 0, `${id} in the lower part of the screen`).toBeGreaterThan(h / 2);
        }
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 20_000);

  it('raised no console errors or CSP violations', () => {
    expect(watch.problems).toEqual([]);
  });
});
