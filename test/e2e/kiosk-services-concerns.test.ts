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
 * The kiosk's Services and Concerns screens against the real service (SQLite, HTTP with its CSP) in
 * real headless Chromium, by taps only: services filtered by a category and one opened with its QR
 * code; a concern raised with pictures, phrases, a place, a few words and a phone on the on-screen
 * keyboards, then found through the API and on the public board; the board filtered and paged; a
 * concern followed by its code and rated. What the screens say is checked against the API. Each
 * screen is photographed at 1280×800 and 800×480, must fit without scrolling, and must pass axe-core.
 */
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/kiosk');
const PHONE = '13912345678';
const MASKED = '139****5678';
const REF = /^[2-9A-HJ-NP-Z]{6}$/;

let cleanup: () => void = () => undefined;
let app: RunningApp;
let logLines: string[];
let staff: string;
let committee: string;
let browser: KioskBrowser | undefined;
let page: Page;
let watch: ReturnType<typeof watchPageProblems>;
let legalId = 0;
let siteName = { zh: '', en: '' };
/** The concern raised on the kiosk in the second test. */
let raised = { id: 0, ref: '' };
/** A concern the committee resolved, for following and rating. */
const resolved = { id: 0, ref: '' };

const json = async <T>(res: Response, status = 200): Promise<T> => {
  if (res.status !== status) throw new Error(`${res.url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

async function raiseByApi(body: Record<string, unknown>): Promise<{ id: number; ref: string }> {
  const r = await json<{ ref: string; concern: { id: number } }>(await call(app, 'POST', '/api/concerns', { body }), 201);
  return { id: r.concern.id, ref: r.ref };
}
const committeeStep = async (id: number, step: string, body?: unknown) =>
  json(await call(app, 'POST', `/api/admin/concerns/${id}/${step}`, { cookie: committee, ...(body === undefined ? {} : { body }) }));

const tap = (testid: string) => page.getByTestId(testid).click();
const text = async (testid: string) => (await page.getByTestId(testid).innerText()).replace(/\s+/g, ' ').trim();
const pressed = (testid: string) => page.getByTestId(testid).getAttribute('aria-pressed');
/** The board keeps its last page on screen while it fetches the next: wait until it has. */
const boardSettled = () => page.locator('[data-testid="concerns-board"][aria-busy="false"]').waitFor();

/**
 * Photographs the current screen at both panel sizes and checks what a resident needs there: nothing
 * off screen or needing a scroll, every target at least 48 px, body text at least 24 px at 1280×800,
 * no serious accessibility problem. Ends back at 1280×800.
 */
async function shoot(name: string): Promise<void> {
  for (const [w, h] of [
    [1280, 800],
    [800, 480],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(120);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${w}x${h}.png`) });
    const layout = await page.evaluate(() => {
      const body = document.querySelector('.frame-body') as HTMLElement;
      const frame = body.getBoundingClientRect();
      const outside = Array.from(body.querySelectorAll('*'))
        .map((el) => ({ el, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && (r.left < frame.left - 1 || r.top < frame.top - 1 || r.right > frame.right + 1 || r.bottom > frame.bottom + 1))
        .map(({ el }) => `${el.tagName.toLowerCase()}.${String(el.className)} "${(el.textContent ?? '').trim().slice(0, 30)}"`);
      if (frame.bottom > window.innerHeight + 1 || frame.right > window.innerWidth + 1) outside.push('the frame body leaves the screen');
      const small = Array.from(document.querySelectorAll('button'))
        .map((el) => ({ el, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && (r.width < 47.5 || r.height < 47.5))
        .map(({ el, r }) => `"${(el.textContent ?? '').trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
      const tinyText: string[] = [];
      for (const el of Array.from(document.querySelectorAll('.frame-body *'))) {
        const own = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim());
        if (own && el.getBoundingClientRect().width > 0 && parseFloat(getComputedStyle(el).fontSize) < 24) tinyText.push(`${String(el.className)} "${(el.textContent ?? '').trim().slice(0, 20)}"`);
      }
      return { outside, scrolls: body.scrollHeight > body.clientHeight + 1, small, tinyText };
    });
    expect(layout.outside, `${name} at ${w}×${h}`).toEqual([]);
    expect(layout.scrolls, `${name} needs a scroll at ${w}×${h}`).toBe(false);
    expect(layout.small, `targets under 48 px on ${name} at ${w}×${h}`).toEqual([]);
    if (w === 1280) expect(layout.tinyText, `text under 24 px on ${name} at 1280×800`).toEqual([]);
  }
  expect(await axeViolations(page), name).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForTimeout(80);
}

let setupError: unknown;
beforeAll(async () => {
  try {
    if (!existsSync(join(KIOSK_DIST, 'index.html'))) throw new Error(`The kiosk is not built (${KIOSK_DIST}/index.html is missing): run \`npm run build\` first.`);
    mkdirSync(ARTIFACTS, { recursive: true });
    const tmp = tempDir('tongxin-kiosk-svc-concerns-');
    cleanup = tmp.remove;
    ({ app, logLines } = await startTestApp({ dataDir: tmp.dir }));
    await addStaff(app, 'svc-staff', 'staff');
    staff = await loginCookie(app, 'svc-staff');
    await addStaff(app, 'chen', 'committee');
    committee = await loginCookie(app, 'chen');
    siteName = (await json<{ name: { zh: string; en: string } }>(await call(app, 'GET', '/api/site'))).name;

    // A service with a public phone and a web address, in a category the demo has none of.
    const catalogue = await json<{ partners: { id: number; kind: string }[] }>(await call(app, 'GET', '/api/admin/services', { cookie: staff }));
    const partnerId = catalogue.partners.find((p) => p.kind === 'social-organisation')?.id;
    const created = await json<{ service: { id: number } }>(
      await call(app, 'POST', '/api/admin/services', {
        cookie: staff,
        body: {
          partnerId,
          name: { zh: '社区法律咨询', en: 'Legal advice clinic' },
          category: 'legal',
          hours: { zh: '每月第二个周六 9:00–11:00', en: 'Second Saturday of the month, 9:00–11:00' },
          place: { zh: '客厅会议室', en: 'Lounge meeting room' },
          contact: '021-6259 1234',
          link: 'https://legal.example.org/xianxia',
        },
      }),
      201,
    );
    legalId = created.service.id;

    browser = await launchKioskBrowser({ width: 1280, height: 800 });
    page = browser.page;
    page.setDefaultTimeout(5_000);
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

describe('services and concerns at the kiosk (real service, real Chromium, taps only)', () => {
  it('filters the services by a category and opens one with a QR code that holds its name, phone and address', async () => {
    await tap('tile-services');
    await page.getByTestId('services-filter').waitFor();
    // A button for every category with services, with its count; none for an empty one.
    expect(await text('category-all')).toBe('全部 7');
    expect(await text('category-health')).toBe('健康医疗 3');
    expect(await text('category-legal')).toBe('法律咨询 1');
    expect(await page.getByTestId('category-youth').count()).toBe(0);
    expect(await page.getByTestId('category-health').locator('svg').count(), 'a pictogram with the name').toBe(1);
    // Four a page at 1280×800; the rest a tap on ▼ away.
    expect(await page.locator('[data-testid^="service-"].svc-item').count()).toBe(4);
    await shoot('services-list');
    await tap('page-down');
    expect(await page.locator('[data-testid^="service-"].svc-item').count()).toBe(3);

    // Digital: exactly what the server lists for the category, with unit, hours and place.
    await tap('category-digital');
    expect(await pressed('category-digital')).toBe('true');
    expect(await pressed('category-all')).toBe('false');
    const digital = await json<{ partners: { name: { zh: string }; services: { id: number; name: { zh: string } }[] }[] }>(await call(app, 'GET', '/api/services?category=digital'));
    const ids = digital.partners.flatMap((p) => p.services.map((s) => s.id));
    expect(ids.length).toBe(2);
    expect(await page.locator('[data-testid^="service-"].svc-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(ids.map((id) => `service-${id}`));
    const banking = await text(`service-${ids[0]}`);
    expect(banking).toContain('手机银行使用指导');
    expect(banking).toContain('中国银行仙霞路支行（示例）');
    expect(banking).toContain('每周五 10:00–11:30');
    expect(banking).toContain('客厅服务台');
    expect(await page.getByTestId('services-list').innerText()).not.toContain('家庭医生咨询');

    await tap('category-legal');
    await tap(`service-${legalId}`);
    await page.getByTestId('service-detail').waitFor();
    expect((await page.locator('#screen-services-title').innerText()).trim()).toBe('社区法律咨询');
    expect(await text('service-unit')).toContain('青年社工服务社（示例）');
    expect(await text('service-contact')).toContain('021-6259 1234');
    const qr = page.getByTestId('service-qr');
    expect(await qr.evaluate((el) => el.tagName)).toBe('IMG');
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    // The CSP let the picture through: it was decoded, and it is square.
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0 && img.naturalWidth === img.naturalHeight)).toBe(true);
    const encoded = (await qr.getAttribute('data-qr-text')) ?? '';
    expect(encoded.split('\n')[0]).toBe('社区法律咨询');
    for (const part of ['青年社工服务社（示例）', siteName.zh, '每月第二个周六 9:00–11:00', '客厅会议室', '电话：021-6259 1234', 'https://legal.example.org/xianxia']) expect(encoded).toContain(part);
    // The SVG in the data URL is what uqr draws for exactly this text.
    const { renderSVG } = await import('uqr');
    expect(decodeURIComponent(((await qr.getAttribute('src')) ?? '').replace(/^data:image\/svg\+xml;charset=utf-8,/, ''))).toBe(renderSVG(encoded, { ecc: 'M', border: 2 }));
    await shoot('services-detail');

    // In English the code holds the English texts.
    await page.getByTestId('lang-en').click();
    expect(((await qr.getAttribute('data-qr-text')) ?? '').split('\n')[0]).toBe('Legal advice clinic');
    expect(await qr.getAttribute('data-qr-text')).toContain('Phone: 021-6259 1234');
    await shoot('services-detail-en');
    await page.getByTestId('lang-zh').click();

    // Back returns to the list as it was left.
    await tap('nav-back');
    expect(await pressed('category-legal')).toBe('true');
    expect(await page.locator('[data-testid^="service-"].svc-item').count()).toBe(1);
  });

  it('raises a concern by taps only: a picture, phrases, a place, words on the on-screen keyboard and a phone; the code is shown and the concern is in the API and on the board', async () => {
    await tap('nav-home');
    await tap('tile-concerns');
    await page.getByTestId('concerns-raise').waitFor();
    await shoot('concerns-menu');
    await tap('concerns-raise');

    await page.getByTestId('raise-step-category').waitFor();
    expect(await page.getByTestId('concern-category-noise').locator('svg').count()).toBe(1);
    expect(await text('concern-category-noise')).toBe('噪音');
    await shoot('concerns-raise-category');
    await tap('concern-category-noise');

    await page.getByTestId('raise-step-phrases').waitFor();
    await tap('phrase-at-night');
    await tap('phrase-square-dancing');
    expect(await pressed('phrase-at-night')).toBe('true');
    expect(await text('phrases-picked')).toBe('已选 2 条');
    await shoot('concerns-raise-phrases');
    await tap('raise-next');

    await page.getByTestId('raise-step-place').waitFor();
    await shoot('concerns-raise-place');
    await tap('place-bed:bed-herbs');

    // Words: two ready-made words, a space, a letter and a digit; a wrong digit deleted with ⌫.
    await page.getByTestId('raise-step-words').waitFor();
    expect(await text('raise-next')).toBe('跳过 ▶');
    await tap('word-晚上');
    await tap('word-太吵');
    await tap('key-space');
    await tap('kbd-mode-letters');
    await tap('key-B');
    await tap('kbd-mode-digits');
    await tap('key-3');
    await tap('key-backspace');
    await tap('key-2');
    expect(await page.getByTestId('kbd-display').getAttribute('data-value')).toBe('晚上太吵 B2');
    expect(await text('kbd-count')).toBe('7/500');
    expect(await text('raise-next')).toBe('下一步 ▶');
    await tap('kbd-mode-words');
    await shoot('concerns-raise-words');
    await tap('raise-next');

    // A phone on the keypad, grouped while typed, then masked.
    await page.getByTestId('raise-step-phone').waitFor();
    for (const d of PHONE.slice(0, 5)) await tap(`phone-key-${d}`);
    expect(await text('phone-status')).toBe('还差 6 位');
    expect(await page.getByTestId('raise-next').isDisabled()).toBe(true);
    for (const d of PHONE.slice(5)) await tap(`phone-key-${d}`);
    expect(await text('phone-display')).toBe('139 1234 5678');
    expect(await text('phone-status')).toBe('✓ 号码完整');
    await shoot('concerns-raise-phone');
    await tap('raise-next');

    await page.getByTestId('raise-review').waitFor();
    expect(await text('review-category')).toBe('问题 噪音');
    expect(await text('review-phrases')).toBe('说明 夜间噪音；广场舞音乐太响');
    expect(await text('review-place')).toBe('地点 花园：香草区');
    expect(await text('review-words')).toBe('补充 晚上太吵 B2');
    expect(await text('review-phone')).toBe(`手机号 ${MASKED}`);
    // A phone needs the consent tick before anything is sent.
    expect(await page.getByTestId('raise-send').isDisabled()).toBe(true);
    await tap('raise-consent');
    expect(await pressed('raise-consent')).toBe('true');
    await shoot('concerns-raise-review');
    await tap('raise-send');

    await page.getByTestId('raise-done').waitFor();
    const ref = await text('raise-ref');
    expect(ref).toMatch(REF);
    expect(await text('raise-phone')).toBe(`回访电话：${MASKED}`);
    await shoot('concerns-raise-done');

    // The server has exactly what was tapped.
    const found = await json<{ concern: { id: number; state: string; category: { id: string }; place: { id: string }; phrases: { id: string }[]; words: string } }>(
      await call(app, 'GET', `/api/concerns/by-ref/${ref}`),
    );
    expect(found.concern).toMatchObject({ state: 'raised', category: { id: 'noise' }, place: { id: 'bed:bed-herbs' }, words: '晚上太吵 B2' });
    expect(found.concern.phrases.map((p) => p.id)).toEqual(['at-night', 'square-dancing']);
    expect(JSON.stringify(found)).not.toContain('5678');
    const forCommittee = await json<{ concern: { phone: string } }>(await call(app, 'GET', `/api/admin/concerns/${found.concern.id}`, { cookie: committee }));
    expect(forCommittee.concern.phone).toBe(MASKED);
    raised = { id: found.concern.id, ref };

    // Nothing personal in the address, the browser's storage, the page or the service's log.
    expect(page.url()).toBe(`${app.httpUrl}/`);
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    expect(await page.content()).not.toContain(PHONE);
    expect(logLines.join('\n')).not.toContain(PHONE);

    // On the public board, with its state in words and an icon, and without the code or the phone.
    await tap('raise-to-board');
    await boardSettled();
    const item = page.getByTestId(`board-item-${raised.id}`);
    await item.waitFor();
    const shown = (await item.innerText()).replace(/\s+/g, ' ');
    for (const part of ['已提交', '噪音', '花园：香草区', '夜间噪音', '广场舞音乐太响', '晚上太吵 B2']) expect(shown).toContain(part);
    expect(shown).not.toContain(ref);
    expect(shown).not.toContain('5678');
    expect(await item.locator('.cn-state svg').count()).toBe(1);
  }, 30_000);

  it('filters the board by state and pages it with ▲ ▼', async () => {
    // Five more, moved along the loop by the committee: accepted, declined, resolved, and two raised.
    const accepted = await raiseByApi({ category: 'waste', place: 'point:p1', phrases: ['bins-full'] });
    await committeeStep(accepted.id, 'accept');
    const declined = await raiseByApi({ category: 'street-stalls', place: 'lounge', phrases: ['evenings'] });
    await committeeStep(declined.id, 'decline', { reason: { zh: '不属于本小区管理范围', en: 'Not within the estate' } });
    Object.assign(resolved, await raiseByApi({ category: 'lighting', place: 'other', placeOther: '5号楼北侧', phrases: ['light-broken'] }));
    await committeeStep(resolved.id, 'accept');
    await committeeStep(resolved.id, 'consultation', { at: Date.now() - 86_400_000, place: { zh: '共享客厅会议室', en: 'Lounge meeting room' } });
    await committeeStep(resolved.id, 'resolve', { decision: { zh: '请物业更换灯泡', en: 'Ask the managers to replace the lamp' }, resolution: { zh: '已更换', en: 'Replaced' } });
    await raiseByApi({ category: 'bike-parking', place: 'lounge', phrases: ['shared-bikes'] });
    await raiseByApi({ category: 'accessibility', place: 'point:p2' });

    await tap('nav-back');
    await tap('concerns-board');
    await boardSettled();
    await page.getByTestId('board-items').waitFor();
    // Six in all, newest first, four a page.
    expect(await text('board-position')).toBe('第 1 / 2 页');
    expect(await page.locator('.cn-board-item').count()).toBe(4);
    expect(await page.getByTestId('page-up').isDisabled()).toBe(true);
    await tap('page-down');
    await page.getByTestId(`board-item-${raised.id}`).waitFor();
    await boardSettled();
    expect(await text('board-position')).toBe('第 2 / 2 页');
    expect(await page.locator('.cn-board-item').count()).toBe(2);

    await tap('board-filter-declined');
    await boardSettled();
    await page.getByTestId(`board-item-${declined.id}`).waitFor();
    expect(await page.locator('.cn-board-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['declined']);
    expect(await text('board-position')).toBe('第 1 / 1 页');
    expect(await text(`board-item-${declined.id}`)).toContain('未受理');

    await tap('board-filter-resolved');
    await boardSettled();
    await page.getByTestId(`board-item-${resolved.id}`).waitFor();
    expect(await page.locator('.cn-board-item').count()).toBe(1);
    expect(await text(`board-item-${resolved.id}`)).toContain('其他地点：5号楼北侧');

    await tap('board-filter-all');
    await boardSettled();
    await page.getByTestId(`board-item-${resolved.id}`).waitFor();
    expect(await page.locator('.cn-board-item').count()).toBe(4);
    await shoot('concerns-board');

    // The states in English words, each with its icon.
    await page.getByTestId('lang-en').click();
    expect(await text('board-filter-in-consultation')).toBe('in consultation');
    expect(await text(`board-item-${resolved.id}`)).toMatch(/^resolved Lighting Somewhere else: 5号楼北侧 raised \d{1,2} [A-Z][a-z]{2} A street light is broken$/);
    expect(await text(`board-item-${declined.id}`)).toMatch(/^declined Street stalls/);
    await shoot('concerns-board-en');
    await page.getByTestId('lang-zh').click();
  }, 30_000);

  it('follows a concern by its code, shows its history and takes one rating once it is resolved', async () => {
    await tap('nav-back');
    await tap('concerns-follow');
    await page.getByTestId('code-keyboard').waitFor();
    // Only the characters a code can have: no 0/O, no 1/I.
    for (const absent of ['0', '1', 'O', 'I']) expect(await page.getByTestId(`key-${absent}`).count()).toBe(0);
    const wrong = resolved.ref === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ';
    for (const c of wrong) await tap(`key-${c}`);
    expect(await page.getByTestId(`key-${resolved.ref[0]}`).isDisabled(), 'a full code takes no more').toBe(true);
    // The browser reports the 404 of a code nobody has as a console error: that one is expected.
    watch.setPhase('unknown-code');
    await tap('follow-look-up');
    expect(await waitForText(page.getByTestId('follow-status'), /没有找到/)).toBe('⚠ 没有找到这个编号，请核对后再试。');
    watch.setPhase('normal');
    for (let i = 0; i < 6; i++) await tap('key-backspace');
    for (const c of resolved.ref) await tap(`key-${c}`);
    await shoot('concerns-follow');
    await tap('follow-look-up');

    await page.getByTestId('follow-result').waitFor();
    expect(await text('follow-ref')).toBe(resolved.ref);
    expect(await text('follow-state')).toBe('已解决');
    const history = await text('follow-history');
    for (const part of ['已提交', '已受理', '协商中', '共享客厅会议室', '已解决', '请物业更换灯泡', '已更换']) expect(history).toContain(part);
    await shoot('concerns-follow-result');

    await tap('rate-4');
    await tap('rate-send');
    await page.getByTestId('follow-thanks').waitFor();
    expect(await text('follow-state')).toBe('已评价');
    expect(await text('follow-history')).toContain('已评 4 星');
    expect(await page.getByTestId('follow-rating').count(), 'rated once: no second rating').toBe(0);
    const after = await json<{ concern: { state: string; rating: { stars: number } } }>(await call(app, 'GET', `/api/concerns/by-ref/${resolved.ref}`));
    expect(after.concern).toMatchObject({ state: 'rated', rating: { stars: 4 } });
  }, 30_000);

  it('forgets a half-raised concern when the resident leaves the screen', async () => {
    await tap('nav-home');
    await tap('tile-concerns');
    await tap('concerns-raise');
    await tap('concern-category-waste');
    await tap('phrase-smell');
    await tap('nav-home');
    await tap('tile-concerns');
    await tap('concerns-raise');
    expect(await pressed('concern-category-waste')).toBe('false');
    await tap('concern-category-waste');
    expect(await pressed('phrase-smell')).toBe('false');
    await tap('nav-home');
  });

  it('logged no console errors, page errors or CSP violations (but the 404 of the unknown code)', () => {
    const unknown = watch.problems.filter((p) => p.phase === 'unknown-code');
    expect(unknown.map((p) => p.text)).toEqual([expect.stringContaining('404')]);
    expect(watch.problems.filter((p) => p.phase !== 'unknown-code')).toEqual([]);
  });
});
