import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { KIOSK_DIST } from '../../src/http/server.js';
import { startTestApp, tempDir } from '../helpers/app.js';
import { launchKioskBrowser, waitForText, watchPageProblems, type KioskBrowser } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/**
 * Health hours at the kiosk, against the real service (SQLite, HTTP with its CSP) in real headless
 * Chromium, by taps only: a family signs up with the on-screen keypad and gets a code; a full event
 * offers the waitlist; a sign-up is cancelled and another checked in with the last four digits and
 * the code. What the screen says is checked against the staff API. Every step is photographed at
 * 1280×800, 1920×1080 and 800×480, in normal and in large text; it must fit without scrolling (only
 * large text on the small panel may scroll, within limits: see measureLayout) and pass axe-core.
 */
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/kiosk');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const PHONE = '13812345678';
const PHONE_2 = '13987654321';
const CHECKIN_PHONE = '13700001234';

let cleanup: () => void = () => undefined;
let app: RunningApp;
let logLines: string[];
let staff: string;
let browser: KioskBrowser | undefined;
let page: Page;
let watch: ReturnType<typeof watchPageProblems>;
const ev = { soon: 0, open: 0, full: 0, later: 0 };
let checkinCode = '';
let signupCode = '';

/**
 * The family's code from the keypad sign-up test. Should that test have failed before signing up,
 * the same sign-up is made through the public API, so the tests after it still test their own step.
 */
async function familyCode(): Promise<string> {
  if (signupCode) return signupCode;
  const res = await call(app, 'POST', `/api/health/events/${ev.open}/signups`, { body: { phone: PHONE, people: 2, consent: true } });
  if (res.status !== 201) throw new Error(`the family's sign-up is missing and could not be made: HTTP ${res.status} ${await res.text()}`);
  signupCode = ((await res.json()) as { code: string }).code;
  return signupCode;
}

interface StaffSignup {
  id: number;
  status: string;
  waitlistPosition: number | null;
  people: number;
  code: string;
  phone: string | null;
  checkedInAt: number | null;
  checkedInVia: string | null;
}

async function signupsOf(eventId: number): Promise<StaffSignup[]> {
  const res = await call(app, 'GET', `/api/admin/health/events/${eventId}/signups`, { cookie: staff });
  expect(res.status).toBe(200);
  return ((await res.json()) as { signups: StaffSignup[] }).signups;
}

async function createEvent(body: Record<string, unknown>): Promise<number> {
  const res = await call(app, 'POST', '/api/admin/health/events', { cookie: staff, body: { kind: 'lecture', host: 'Dr Li Na', ...body } });
  if (res.status !== 201) throw new Error(`creating an event: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { event: { id: number } }).event.id;
}

const tap = (testid: string) => page.getByTestId(testid).click();
/** Types on the on-screen keypad, one tap per digit: no keyboard anywhere. */
async function tapDigits(digits: string): Promise<void> {
  for (const d of digits) await tap(`key-${d}`);
}
const text = async (testid: string) => ((await page.getByTestId(testid).innerText()) ?? '').replace(/\s+/g, ' ').trim();

/** The element wholly on screen, inside the step's scrolled view, and not covered by anything. */
function wholeInView(testid: string): Promise<boolean> {
  return page.getByTestId(testid).evaluate((el) => {
    const r = el.getBoundingClientRect();
    const room = (document.querySelector('.frame-body') as HTMLElement).getBoundingClientRect();
    if (r.top < Math.max(0, room.top) - 1 || r.bottom > Math.min(window.innerHeight, room.bottom) + 1 || r.left < room.left - 1 || r.right > room.right + 1) return false;
    const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    return hit !== null && (hit === el || el.contains(hit));
  });
}

const SIZES = [
  [1280, 800],
  [1920, 1080],
  [800, 480],
] as const;

/** Until the kiosk has laid out again after a change of size or mode (lists re-measure their page). */
const settle = () => page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() => done())))));

/** Large text on or off by its switch in the top bar, as a resident does; a no-op when already so. */
async function setLargeText(on: boolean): Promise<void> {
  const button = page.getByTestId('large-text');
  if ((await button.getAttribute('aria-pressed')) !== String(on)) await button.click();
  await page.waitForFunction((want) => document.documentElement.classList.contains('large-text') === want, on, { timeout: 2_000 });
}

interface Layout {
  outside: string[];
  scrolls: boolean;
  small: string[];
  tinyText: string[];
  /** Only where scrolling is allowed (large text on the small panel): what a resident could not see or reach. */
  unreachable: string[];
}

/**
 * What a resident needs on the step shown. Strict everywhere: nothing off screen, clipped or needing a
 * scroll. `relaxed` is large text on the 800×480 panel (in effect a 600×360 screen), where the shell
 * lets a screen scroll as the last resort; there, still: Home and Back always on screen, the whole
 * keypad and the number it types visible together, and every other control reachable. Sizes are
 * read with getBoundingClientRect, which in Chromium includes the large-text zoom: what the finger
 * and the eye get.
 */
function measureLayout(relaxed: boolean): Promise<Layout> {
  return page.evaluate((relaxed) => {
    const body = document.querySelector('.frame-body') as HTMLElement;
    const screen = document.querySelector('.screen') as HTMLElement;
    const describe = (el: Element) => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    // Everything of the step inside its frame, and the frame on the screen: nothing clipped or off screen.
    const frame = body.getBoundingClientRect();
    const outside = Array.from(body.querySelectorAll('*'))
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && (r.left < frame.left - 1 || r.right > frame.right + 1 || (!relaxed && (r.top < frame.top - 1 || r.bottom > frame.bottom + 1))))
      .map(({ el }) => describe(el));
    if (frame.bottom > window.innerHeight + 1 || frame.right > window.innerWidth + 1) outside.push('the frame body leaves the screen');
    const scrolls = body.scrollHeight > body.clientHeight + 1 || screen.scrollHeight > screen.clientHeight + 1;
    const small = Array.from(document.querySelectorAll('button'))
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && (r.width < 47.5 || r.height < 47.5))
      .map(({ el, r }) => `"${(el.textContent ?? '').trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    const tinyText: string[] = [];
    for (const el of Array.from(document.querySelectorAll('.frame-body *'))) {
      const own = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim());
      if (own && el.getBoundingClientRect().width > 0 && parseFloat(getComputedStyle(el).fontSize) < 24) tinyText.push(`${el.className} "${(el.textContent ?? '').trim().slice(0, 20)}"`);
    }
    const unreachable: string[] = [];
    if (relaxed) {
      // Seen means wholly on the screen and inside the step's visible part (not clipped by its
      // scrolling), and not covered: the element is what a finger there would hit.
      const seen = (el: Element) => {
        const r = el.getBoundingClientRect();
        const room = body.contains(el) ? body.getBoundingClientRect() : { top: 0, left: 0, bottom: window.innerHeight, right: window.innerWidth };
        const top = Math.max(0, room.top);
        const bottom = Math.min(window.innerHeight, room.bottom);
        if (r.top < top - 1 || r.left < room.left - 1 || r.bottom > bottom + 1 || r.right > room.right + 1) return false;
        const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
        return hit !== null && (hit === el || el.contains(hit));
      };
      const check = (where: string, els: Element[]) => {
        for (const el of els) if (!seen(el)) unreachable.push(`${describe(el)} ${where}`);
      };
      const nav = Array.from(document.querySelectorAll('[data-testid="nav-back"], [data-testid="nav-home"]'));
      const top = () => {
        body.scrollTop = 0;
        screen.scrollTop = 0;
      };
      top();
      check('at the top', nav);
      const keypad = document.querySelector('.keypad');
      if (keypad) {
        // Typing: the keypad scrolled just into view, as a finger would; then the number must show too.
        keypad.scrollIntoView({ block: 'nearest' });
        const field = document.querySelector('.entry-field, .code-field[aria-pressed="true"] .code-field-value');
        if (!field) unreachable.push('no number field beside the keypad');
        check('while typing', [...Array.from(keypad.querySelectorAll('button')), ...(field ? [field] : []), ...nav]);
        top();
      }
      for (const el of Array.from(body.querySelectorAll('button'))) {
        el.scrollIntoView({ block: 'nearest' });
        check('when scrolled to', [el, ...nav]);
      }
      top();
    }
    return { outside, scrolls, small, tinyText, unreachable };
  }, relaxed);
}

/**
 * Photographs the current step at the three panel sizes, in normal and in large text, and checks
 * what a resident needs there (measureLayout), every target at least 48 px, body text at least 24 px
 * at 1280×800 and up, no serious accessibility problem in either palette. Leaves normal text at
 * 1280×800.
 */
async function shoot(step: string): Promise<void> {
  for (const large of [false, true]) {
    await setLargeText(large);
    for (const [w, h] of SIZES) {
      const at = `${step}${large ? ' in large text' : ''} at ${w}×${h}`;
      const relaxed = large && h < 600;
      await page.setViewportSize({ width: w, height: h });
      await settle();
      await page.screenshot({ path: join(ARTIFACTS, `health-${step}${large ? '-large' : ''}-${w}x${h}.png`) });
      const layout = await measureLayout(relaxed);
      // Soft: one run reports every size and mode that is wrong, not just the first.
      expect.soft(layout.outside, at).toEqual([]);
      if (!relaxed) expect.soft(layout.scrolls, `${at} needs a scroll`).toBe(false);
      expect.soft(layout.unreachable, `${at}: not seen or not reachable`).toEqual([]);
      expect.soft(layout.small, `targets under 48 px on ${at}`).toEqual([]);
      if (w >= 1280) expect.soft(layout.tinyText, `text under 24 px on ${at}`).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await settle();
    expect.soft(await axeViolations(page), `${step}${large ? ' in large text' : ''}`).toEqual([]);
  }
  await setLargeText(false);
}

/**
 * Each test starts from the kiosk's home, in Chinese and normal text at 1280×800, whatever a failed
 * test before it left behind, so one failure does not cascade.
 */
async function openHealth(): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await setLargeText(false);
  await tap('lang-zh');
  if (await page.getByTestId('nav-home').count()) await tap('nav-home');
  await tap('tile-health');
  await page.getByTestId(`health-event-${ev.soon}`).waitFor();
}

let setupError: unknown;
beforeAll(async () => {
  try {
    if (!existsSync(join(KIOSK_DIST, 'index.html'))) throw new Error(`The kiosk is not built (${KIOSK_DIST}/index.html is missing): run \`npm run build\` first.`);
    mkdirSync(ARTIFACTS, { recursive: true });
    const tmp = tempDir('tongxin-kiosk-health-');
    cleanup = tmp.remove;
    ({ app, logLines } = await startTestApp({ dataDir: tmp.dir }));
    await addStaff(app, 'health-staff', 'staff');
    staff = await loginCookie(app, 'health-staff');
    // Times from now, whatever the hour: sign-up opens at creation and closes at the start.
    const at = (ms: number) => Math.floor((Date.now() + ms) / MIN) * MIN;
    const place = { zh: '多功能厅', en: 'Multi-purpose room' };
    ev.soon = await createEvent({ kind: 'digital-skills', title: { zh: '智能手机课堂', en: 'Smartphone class' }, host: 'Youth social work studio', place, startsAt: at(10 * MIN), endsAt: at(70 * MIN), capacity: 5 });
    ev.open = await createEvent({
      title: { zh: '防跌倒讲座', en: 'Fall prevention talk' },
      description: { zh: '社区医生讲怎样在家里防止跌倒。', en: 'A community doctor on preventing falls at home.' },
      place,
      startsAt: at(2 * DAY),
      endsAt: at(2 * DAY + 60 * MIN),
      capacity: 10,
    });
    ev.full = await createEvent({ kind: 'doctor-consultation', title: { zh: '高血压咨询', en: 'Blood pressure consultation' }, host: 'Dr Zhang Wei', place: { zh: '客厅健康角', en: 'Lounge health corner' }, startsAt: at(3 * DAY), endsAt: at(3 * DAY + 120 * MIN), capacity: 1 });
    // Two more in between, so the list always needs a second page.
    for (const [days, zh, en] of [[4, '中医养生', 'Traditional medicine and health'], [4.5, '心理健康讲座', 'Mental health talk']] as const) {
      await createEvent({ kind: 'health-talk-show', title: { zh, en }, place, startsAt: at(days * DAY), endsAt: at(days * DAY + 60 * MIN), capacity: 30 });
    }
    ev.later = await createEvent({ kind: 'music-therapy', title: { zh: '音乐疗愈', en: 'Music therapy' }, place, startsAt: at(5 * DAY), endsAt: at(5 * DAY + 60 * MIN), capacity: 12 });
    // Someone else took the only place of the consultation, and someone signed up for today's class.
    const taken = await call(app, 'POST', `/api/health/events/${ev.full}/signups`, { body: { phone: '13900000001', people: 1, consent: true } });
    expect(taken.status).toBe(201);
    const soon = await call(app, 'POST', `/api/health/events/${ev.soon}/signups`, { body: { phone: CHECKIN_PHONE, people: 2, consent: true } });
    expect(soon.status).toBe(201);
    checkinCode = ((await soon.json()) as { code: string }).code;

    browser = await launchKioskBrowser({ width: 1280, height: 800 });
    page = browser.page;
    watch = watchPageProblems(page);
    // A missing element fails the step in seconds rather than at the test's timeout.
    page.setDefaultTimeout(5_000);
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

describe('health hours at the kiosk (real service, real Chromium, taps only)', () => {
  it('lists the coming events by start with their places left, a full one as full, a page at a time', async () => {
    await openHealth();
    expect(await text(`health-places-${ev.soon}`)).toBe('3 剩余名额');
    expect(await text(`health-places-${ev.open}`)).toBe('10 剩余名额');
    expect(await text(`health-places-${ev.full}`)).toBe('已满 可以候补');
    expect(await page.getByTestId(`health-places-${ev.full}`).getAttribute('data-state')).toBe('full');
    const card = await text(`health-event-${ev.open}`);
    expect(card).toMatch(/^(今天|明天|后天)? ?\d{1,2}月\d{1,2}日 周. \d\d:\d\d–\d\d:\d\d 防跌倒讲座 多功能厅 · 主讲：Dr Li Na/);
    // As many a page as fit (three at 1280×800 today): the last of six is on a later page, reached with ▼.
    const rows = await page.locator('.event-row').count();
    expect(rows).toBeGreaterThanOrEqual(2);
    expect(rows).toBeLessThan(6);
    expect(await page.getByTestId(`health-event-${ev.later}`).count()).toBe(0);
    await shoot('list');
    while ((await page.getByTestId(`health-event-${ev.later}`).count()) === 0) await tap('page-down');
    expect(await page.getByTestId('page-down').isDisabled()).toBe(true);
    await shoot('list-last-page');
    while (!(await page.getByTestId('page-up').isDisabled())) await tap('page-up');
    await page.getByTestId('lang-en').click();
    expect(await text(`health-places-${ev.full}`)).toBe('Full waitlist open');
    expect(await text(`health-event-${ev.open}`)).toMatch(/\d\d:\d\d–\d\d:\d\d Fall prevention talk Multi-purpose room · With Dr Li Na/);
    await shoot('list-en');
    await page.getByTestId('lang-zh').click();
    // A page holds as many rows as fit, and no fewer: under large text's zoom too, at every size.
    for (const large of [false, true]) {
      await setLargeText(large);
      for (const [w, h] of SIZES) {
        await page.setViewportSize({ width: w, height: h });
        await settle();
        const fit = await page.evaluate(() => {
          const list = (document.querySelector('.health-list') as HTMLElement).getBoundingClientRect();
          const rows = Array.from(document.querySelectorAll('.event-row')).map((r) => r.getBoundingClientRect());
          const pager = (document.querySelector('.pager') as HTMLElement).getBoundingClientRect();
          // The gap between rows as seen on screen (the large-text zoom included), even with one row a page.
          const items = document.querySelector('.pager-items') as HTMLElement;
          const gap = parseFloat(getComputedStyle(items).rowGap) * items.currentCSSZoom;
          return { rows: rows.length, step: (rows[0]?.height ?? 0) + gap, free: list.bottom - pager.bottom, paged: document.querySelector('[data-testid="page-down"]') !== null };
        });
        const at = `${large ? 'large text ' : ''}${w}×${h}`;
        expect(fit.rows, `rows a page, ${at}`).toBeGreaterThanOrEqual(1);
        expect(fit.free, `room left under the page, ${at}`).toBeGreaterThanOrEqual(-1);
        if (fit.paged) expect(fit.free, `room for another row left unused, ${at}`).toBeLessThan(fit.step);
      }
    }
    await setLargeText(false);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('signs up a family of two with the keypad: checks the number as typed, asks for consent, confirms with a code', async () => {
    await openHealth();
    await tap(`health-event-${ev.open}`);
    expect(await text('detail-title')).toBe('防跌倒讲座');
    expect(await text('health-sign-up')).toBe('我要报名');
    expect(await page.getByTestId('health-join-waitlist').count()).toBe(0);
    await shoot('detail');
    await tap('health-sign-up');

    // How many: + and −, never typed.
    expect(await text('people-count')).toBe('1 人');
    expect(await page.getByTestId('people-minus').isDisabled()).toBe(true);
    await tap('people-plus');
    await tap('people-plus');
    await tap('people-minus');
    expect(await text('people-count')).toBe('2 人');
    await shoot('people');
    await tap('flow-next');

    // The number, checked as it is typed, in plain words.
    const message = page.getByTestId('phone-message');
    expect(await text('phone-message')).toBe('共 11 位，以 1 开头。');
    await tapDigits('2');
    expect(await message.getAttribute('data-state')).toBe('wrong');
    expect(await text('phone-message')).toContain('手机号码以 1 开头');
    await tap('key-clear');
    await tapDigits('12');
    expect(await text('phone-message')).toContain('第二位应该是 3 到 9');
    expect(await page.getByTestId('flow-next').isDisabled()).toBe(true);
    await tap('key-del');
    await tapDigits('38123');
    expect(await text('phone-message')).toBe('还差 5 位。');
    expect(await text('phone-field')).toBe('138 123');
    await tapDigits('45678');
    expect(await message.getAttribute('data-state')).toBe('complete');
    expect(await text('phone-field')).toBe('138 1234 5678');
    // Eleven digits: the digit keys stop.
    expect(await page.getByTestId('key-9').isDisabled()).toBe(true);
    await shoot('phone');
    await tap('flow-next');

    // Consent before anything is stored: the number is masked from here on.
    expect(await text('summary-phone')).toBe('138****5678');
    expect(await text('summary-people')).toBe('2 人');
    expect(await text('consent-text')).toContain('活动结束后删除');
    expect(await page.locator('.frame-body').innerText()).not.toMatch(/138 ?1234/);
    // Tapped in large text on the small panel, where this step outgrows its room: the refusal is
    // brought into view under the button, not left below the fold.
    await setLargeText(true);
    await page.setViewportSize({ width: 800, height: 480 });
    await settle();
    await tap('signup-submit');
    expect(await text('health-refusal')).toBe('⚠ 请先点“我同意”。');
    expect(await wholeInView('health-refusal'), 'the refusal in view').toBe(true);
    expect(await wholeInView('signup-submit'), 'the button tapped still in view').toBe(true);
    await setLargeText(false);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await signupsOf(ev.open)).toEqual([]);
    await tap('consent-tick');
    expect(await page.getByTestId('consent-tick').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('health-refusal').count()).toBe(0);
    await shoot('consent');
    await tap('signup-submit');

    await page.getByTestId('signup-done').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('signup-done').getAttribute('data-status')).toBe('confirmed');
    expect(await text('signup-status')).toBe('✓ 报名成功');
    expect(await text('signup-phone')).toBe('138****5678');
    expect(await text('signup-people')).toBe('2 人');
    signupCode = await text('signup-code');
    expect(signupCode).toMatch(/^\d{4,8}$/);
    expect(await page.getByTestId('signup-code').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(96);
    expect(await page.locator('.frame-body').innerText()).toContain('拍照');
    await shoot('confirmed');

    // What the screen said is what the service stored.
    expect(await signupsOf(ev.open)).toMatchObject([{ status: 'confirmed', people: 2, phone: '138****5678', code: signupCode, waitlistPosition: null }]);
    // The number never went into the URL, web storage, the page text or the service's log.
    expect(page.url()).not.toMatch(/1381234|5678/);
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    expect(await page.content()).not.toContain(PHONE);
    expect(logLines.join('\n')).not.toContain(PHONE);

    await tap('health-done');
    await page.getByTestId('health-list').waitFor({ timeout: 5_000 });
    expect(await waitForText(page.getByTestId(`health-places-${ev.open}`), /^8/)).toMatch(/^8/);
  }, 40_000);

  it('refuses a second sign-up by the same number in the server’s own words, in English too', async () => {
    await familyCode();
    await openHealth();
    await page.getByTestId('lang-en').click();
    await tap(`health-event-${ev.open}`);
    await tap('health-sign-up');
    await tap('flow-next');
    await tapDigits(PHONE);
    await tap('flow-next');
    await tap('consent-tick');
    watch.setPhase('refusal-409');
    await tap('signup-submit');
    expect(await waitForText(page.getByTestId('health-refusal'), /already/)).toBe('⚠ This number has already signed up for this event.');
    watch.setPhase('normal');
    await shoot('refused-en');
    expect((await signupsOf(ev.open)).length).toBe(1);
    await page.getByTestId('lang-zh').click();
    expect(await waitForText(page.getByTestId('health-refusal'), /已经报名/)).toBe('⚠ 这个号码已经报名了这个活动。');
  }, 30_000);

  it('a full event offers the waitlist, not sign-up, and the resident gets a place in the queue', async () => {
    await openHealth();
    await tap(`health-event-${ev.full}`);
    expect(await page.getByTestId('health-sign-up').count()).toBe(0);
    expect(await text('health-join-waitlist')).toBe('加入候补');
    await tap('health-join-waitlist');
    expect(await page.locator('#screen-health-title').innerText()).toBe('候补报名');
    // The consultation has one place: a family cannot be offered more.
    expect(await page.getByTestId('people-count').count()).toBe(0);
    await tapDigits(PHONE_2);
    await tap('flow-next');
    expect(await text('signup-submit')).toBe('确认候补');
    await tap('consent-tick');
    await tap('signup-submit');
    await page.getByTestId('signup-done').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('signup-done').getAttribute('data-status')).toBe('waitlisted');
    expect(await text('signup-status')).toBe('已进入候补，排第 1 位');
    expect(await text('signup-phone')).toBe('139****4321');
    const code = await text('signup-code');
    await shoot('waitlisted');
    expect(await signupsOf(ev.full)).toMatchObject([
      { status: 'confirmed', phone: '139****0001' },
      { status: 'waitlisted', waitlistPosition: 1, phone: '139****4321', code, people: 1 },
    ]);
    await tap('health-done');
  }, 30_000);

  it('cancels with the last four digits and the code; a wrong code is refused in words', async () => {
    const code = await familyCode();
    await openHealth();
    await tap(`health-event-${ev.open}`);
    await tap('health-cancel');
    expect(await page.locator('#screen-health-title').innerText()).toBe('取消报名');
    expect(await page.getByTestId('code-submit').isDisabled()).toBe(true);
    await tapDigits('5678');
    // A full last four moves the keypad on to the code.
    expect(await page.getByTestId('field-code').getAttribute('aria-pressed')).toBe('true');
    const wrong = code === '0000' ? '1111' : '0000';
    await tapDigits(wrong);
    expect(await text('value-lastFour')).toBe('5678');
    watch.setPhase('refusal-404');
    await tap('code-submit');
    expect(await waitForText(page.getByTestId('health-refusal'), /不对/)).toBe('⚠ 手机尾号或报名码不对。');
    watch.setPhase('normal');
    // Both fields full and the refusal under them: the tallest this step gets.
    await shoot('cancel-refused');
    expect((await signupsOf(ev.open))[0]?.status).toBe('confirmed');
    await tap('key-clear');
    await tapDigits(code);
    await tap('code-submit');
    await page.getByTestId('cancel-done').waitFor({ timeout: 5_000 });
    expect(await text('code-done-status')).toBe('✓ 已取消报名');
    await shoot('cancelled');
    expect(await signupsOf(ev.open)).toMatchObject([{ status: 'cancelled', people: 2 }]);
    await tap('health-done');
  }, 30_000);

  it('checks in on the day with the last four digits and the code', async () => {
    await openHealth();
    await tap(`health-event-${ev.soon}`);
    // Starting in ten minutes: check-in is offered; the far-off events do not offer it.
    await tap('health-check-in');
    expect(await page.locator('#screen-health-title').innerText()).toBe('签到');
    await tapDigits(CHECKIN_PHONE.slice(-4));
    // The code's field empty, saying how many digits it still needs.
    expect(await text('field-code')).toContain('还差 4 位');
    await shoot('checkin');
    await tapDigits(checkinCode);
    await tap('code-submit');
    await page.getByTestId('checkin-done').waitFor({ timeout: 5_000 });
    expect(await text('code-done-status')).toBe('✓ 签到成功');
    expect(await page.locator('.frame-body').innerText()).toContain('欢迎！共 2 人。');
    await shoot('checked-in');
    expect(await signupsOf(ev.soon)).toMatchObject([{ status: 'confirmed', checkedInVia: 'kiosk', checkedInAt: expect.any(Number) }]);
    await tap('health-done');
    // Starting in five days, on the list's last page: no check-in yet.
    while ((await page.getByTestId(`health-event-${ev.later}`).count()) === 0) await tap('page-down');
    await tap(`health-event-${ev.later}`);
    await page.getByTestId('health-detail').waitFor();
    expect(await page.getByTestId('health-cancel').count()).toBe(1);
    expect(await page.getByTestId('health-check-in').count()).toBe(0);
  }, 30_000);

  it('logged no console errors, page errors or CSP violations (but the browser’s note of each refusal provoked above)', () => {
    // Chromium logs every 4xx answer as "Failed to load resource"; the two refusals the tests provoke are meant.
    const provoked = watch.problems.filter((p) => p.phase.startsWith('refusal-') && p.text.includes(`status of ${p.phase.slice(-3)}`));
    expect(provoked.map((p) => p.phase)).toEqual(['refusal-409', 'refusal-404']);
    expect(watch.problems.filter((p) => !provoked.includes(p))).toEqual([]);
  });
});
