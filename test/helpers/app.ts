import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadSiteConfig } from '../../src/config/load.js';
import { applyOverrides, type ConfigOverrides } from '../../src/config/overrides.js';
import type { SiteConfig } from '../../src/config/schema.js';
import type { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/log.js';
import type { NodeRedTuning } from '../../src/supervise/nodered.js';

/** A temporary data folder, removed by the returned function. */
export function tempDir(prefix = 'tongxin-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A logger whose JSON lines are kept in memory, so tests can assert on what was (not) logged. */
export function memoryLogger(level = 'debug') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  return { log: createLogger({ level, destination: stream }), lines };
}

/** The demo site on free ports, in a temporary data folder, without the simulator and without Node-RED (`nodered: true` asks for it). */
export function testConfig(dataDir: string, overrides: ConfigOverrides = {}, base: SiteConfig = loadSiteConfig()): SiteConfig {
  return applyOverrides(base, { dataDir, httpPort: 0, mqttPort: 0, mqttWsPort: 0, simulator: false, nodered: false, ...overrides });
}

export async function startTestApp(opts: { dataDir: string; overrides?: ConfigOverrides; clock?: Clock; config?: SiteConfig; nodered?: Partial<NodeRedTuning> }) {
  const logger = memoryLogger();
  const app: RunningApp = await startApp({
    config: opts.config ?? testConfig(opts.dataDir, opts.overrides),
    log: logger.log,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.nodered ? { nodered: opts.nodered } : {}),
    ntpMarker: join(opts.dataDir, 'no-ntp-marker'),
  });
  return { app, logLines: logger.lines };
}

/** Polls until `check` returns a truthy value or the time is up (then throws with `what`). */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 5000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The demo site's document, changed by `mutate` before validation: for tests that need another site. */
export async function demoConfigWith(mutate: (doc: any) => void): Promise<SiteConfig> {
  const { readFileSync } = await import('node:fs');
  const { DEMO_SITE_FILE, parseSiteYaml, validateSiteConfig, formatIssues } = await import('../../src/config/load.js');
  const parsed = parseSiteYaml(readFileSync(DEMO_SITE_FILE, 'utf8'));
  if (!parsed.ok) throw new Error('demo site does not parse');
  mutate(parsed.doc);
  const r = validateSiteConfig(parsed.doc);
  if (!r.ok) throw new Error(formatIssues('test site', r.issues));
  return r.config;
}

/**
 * Registers an afterEach that runs what the test deferred, last first; returns `defer`.
 * Call at the top of a test file: `const defer = useCleanup();`.
 */
export function useCleanup(): (fn: () => unknown) => void {
  const fns: (() => unknown)[] = [];
  afterEach(async () => {
    while (fns.length > 0) await fns.pop()?.();
  });
  return (fn) => void fns.push(fn);
}
