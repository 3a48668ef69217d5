import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Locator, type Page } from 'playwright-core';

/**
 * Real headless Chromium for the kiosk's end-to-end tests (Debian's package; playwright-core brings
 * no browser of its own). A missing browser is a failure, never a skip: the kiosk would go untested.
 */
export const CHROMIUM_PATH = process.env.TONGXIN_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface KioskBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchKioskBrowser(viewport = { width: 1280, height: 800 }): Promise<KioskBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. The kiosk end-to-end tests need it: install it ` +
        '(Debian: `sudo apt-get install chromium fonts-noto-cjk`) or set TONGXIN_CHROMIUM to its path.',
    );
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'tongxin-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      viewport,
      deviceScaleFactor: 1,
      locale: 'zh-CN',
      // The panel's own zone is deliberately not Shanghai: the page must use the site's time zone.
      timezoneId: 'Europe/London',
    });
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface PageProblem {
  kind: 'console' | 'pageerror';
  text: string;
  /** What the test had declared it was doing when the problem came (see `setPhase`). */
  phase: string;
}

/**
 * Records console errors and uncaught page errors (CSP violations are reported as console errors).
 * `setPhase` labels them, so a test can allow network errors while it has stopped the server itself.
 */
export function watchPageProblems(page: Page) {
  const problems: PageProblem[] = [];
  let phase = 'normal';
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error') problems.push({ kind: 'console', text: msg.text(), phase });
  });
  page.on('pageerror', (err) => problems.push({ kind: 'pageerror', text: String(err), phase }));
  return {
    problems,
    setPhase(next: string) {
      phase = next;
    },
  };
}

/** Polls an element's text until it matches (Playwright's `expect` is not part of playwright-core). */
export async function waitForText(locator: Locator, pattern: RegExp, timeoutMs = 5_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  for (;;) {
    last = await locator.textContent({ timeout: 1_000 }).catch(() => null);
    if (last !== null && pattern.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(locator)} to match ${pattern}; last text: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls until the element is visible (or hidden/absent, with `visible: false`). */
export async function waitForVisible(locator: Locator, visible: boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await locator.isVisible().catch(() => false)) === visible) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(locator)} to be ${visible ? 'visible' : 'hidden'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Elements that stick out of the viewport or out of their own tile/panel: at a small screen this is
 * how text that no longer fits shows up. Returns a description of each offender.
 */
export async function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const describe = (el: Element) => `${el.tagName.toLowerCase()}.${Array.from(el.classList).join('.')} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    for (const el of Array.from(document.querySelectorAll('#app *'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1) {
        out.push(`${describe(el)} leaves the ${vw}×${vh} screen`);
        continue;
      }
      const box = el.parentElement?.closest('.tile, .point, .panel');
      if (!box) continue;
      const b = box.getBoundingClientRect();
      if (r.left < b.left - 1 || r.top < b.top - 1 || r.right > b.right + 1 || r.bottom > b.bottom + 1) out.push(`${describe(el)} sticks out of ${describe(box)}`);
    }
    return out;
  });
}

/**
 * Elements cut off by a scrolling or clipping box around them (a screen's body that would need a
 * scroll): `overflowingElements` sees only what leaves the screen or its tile. Text cut short on
 * purpose with an ellipsis is its own clipping box, so it is not reported.
 */
export async function clippedElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const describe = (el: Element) => `${el.tagName.toLowerCase()}.${Array.from(el.classList).join('.')} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    for (const el of Array.from(document.querySelectorAll('#app *'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.closest('.chart')) continue;
      for (let box = el.parentElement; box && box.id !== 'app'; box = box.parentElement) {
        const cs = getComputedStyle(box);
        if (cs.overflowX === 'visible' && cs.overflowY === 'visible') continue;
        const b = box.getBoundingClientRect();
        if (r.left < b.left - 1 || r.top < b.top - 1 || r.right > b.right + 1 || r.bottom > b.bottom + 1) out.push(`${describe(el)} is cut off by ${describe(box)}`);
        break;
      }
    }
    return out;
  });
}
