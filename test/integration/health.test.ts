import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/core/clock.js';
import { openStore } from '../../src/store/db.js';
import { demoConfigWith, memoryLogger, startTestApp, tempDir, testConfig, useCleanup } from '../helpers/app.js';

/** /healthz names what is degraded; here the clock of a Pi without a real-time clock. */
const defer = useCleanup();

const NOW = Date.UTC(2026, 10, 28, 6, 0);

async function healthOf(dataDir: string, clockAt: number) {
  const base = await demoConfigWith((doc) => {
    doc.clock.trustAtStart = false;
  });
  const { app } = await startTestApp({ dataDir, config: testConfig(dataDir, {}, base), clock: createManualClock(clockAt) });
  const report = await (await fetch(`${app.httpUrl}/healthz`)).json();
  await app.stop();
  return { status: report.status as string, degraded: report.degraded as string[], trusted: report.checks.clock.trusted as boolean };
}

describe('/healthz and the clock', () => {
  it('a first boot without NTP is degraded: clock-untrusted', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    expect(await healthOf(dir, NOW)).toEqual({ status: 'degraded', degraded: ['clock-untrusted'], trusted: false });
  });

  it('booting at a time before the last one stored stays untrusted; a later time is trusted', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const store = openStore(join(dir, 'tongxin.db'), memoryLogger().log);
    store.setMeta('last_wall_time', String(NOW));
    store.close();
    expect((await healthOf(dir, NOW - 3_600_000)).trusted).toBe(false);
    expect(await healthOf(dir, NOW + 60_000)).toEqual({ status: 'ok', degraded: [], trusted: true });
  });
});
