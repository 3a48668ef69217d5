import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { KIOSK_DIST } from '../../src/http/server.js';
import { launchKioskBrowser } from '../helpers/browser.js';
import { startTestApp, tempDir } from '../helpers/app.js';

/**
 * What the lobby screen costs a Pi: the kiosk page's own JS and CSS, gzipped (what the server sends),
 * and its time to first render in Chromium with the CPU slowed 4× (a Pi 4 is several times slower
 * than this machine). The baseline for the render is the same browser, equally throttled, painting a
 * bare HTML page: what any page costs before our code runs.
 */

/** The kiosk entry's assets (the admin page's own bundle is not sent to the lobby screen). */
export function kioskBundleBytes(dist = KIOSK_DIST): { files: string[]; raw: number; gzip: number } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = new Set<string>();
  for (const m of html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)) refs.add(m[1] as string);
  // Chunks the entry imports (the shared JSX runtime) are preloaded by the HTML or imported by name.
  const assets = readdirSync(join(dist, 'assets'));
  for (const ref of [...refs]) {
    const text = readFileSync(join(dist, ref), 'utf8');
    for (const m of text.matchAll(/["'`]\.\/([\w.-]+\.js)["'`]/g)) if (assets.includes(m[1] as string)) refs.add(`assets/${m[1] as string}`);
  }
  let raw = 0;
  let gzip = 0;
  for (const ref of refs) {
    const buf = readFileSync(join(dist, ref));
    raw += buf.length;
    gzip += gzipSync(buf, { level: 9 }).length;
  }
  return { files: [...refs].sort(), raw, gzip };
}

const RENDER_PROBE = `
  (() => {
    const seen = () => {
      if (window.__homeAt === undefined && document.querySelector('[data-testid="screen-home"]')) window.__homeAt = performance.now();
    };
    new MutationObserver(seen).observe(document, { childList: true, subtree: true });
  })();
`;

export interface RenderTimes {
  /** Navigation start to the home screen's tiles in the DOM (ms). */
  kioskMs: number[];
  /** Navigation start to first contentful paint of a bare page (ms). */
  bareMs: number[];
}

/** Alternating runs of the kiosk and the bare page, each in a fresh page with a cold cache. */
export async function firstRenderTimes(rounds: number, cpuSlowdown = 4): Promise<RenderTimes> {
  const { dir, remove } = tempDir('tongxin-bench-kiosk-');
  const { app } = await startTestApp({ dataDir: dir });
  const browser = await launchKioskBrowser({ width: 1280, height: 800 });
  const out: RenderTimes = { kioskMs: [], bareMs: [] };
  try {
    for (let i = 0; i < rounds; i++) {
      for (const which of ['kiosk', 'bare'] as const) {
        const page = await browser.context.newPage();
        await page.addInitScript(RENDER_PROBE);
        const cdp = await browser.context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
        if (which === 'kiosk') {
          await page.goto(`${app.httpUrl}/`, { waitUntil: 'commit' });
          await page.waitForFunction(() => (window as unknown as { __homeAt?: number }).__homeAt !== undefined, undefined, { timeout: 30_000 });
          out.kioskMs.push(await page.evaluate(() => (window as unknown as { __homeAt: number }).__homeAt));
        } else {
          await page.goto('data:text/html,<!doctype html><html><body><h1>Tongxin</h1><p>bare page</p></body></html>', { waitUntil: 'load' });
          await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, undefined, { timeout: 30_000 });
          out.bareMs.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN));
        }
        await cdp.detach().catch(() => undefined);
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await app.stop();
    remove();
  }
  return out;
}
