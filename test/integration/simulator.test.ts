import { describe, expect, it } from 'vitest';
import { startTestApp, tempDir, useCleanup, waitFor } from '../helpers/app.js';

/** The demo's simulator publishes over MQTT as the devices would, through the broker's ACL. */
const defer = useCleanup();

describe('simulator in the demo site', () => {
  it('every sensor gets readings, every device is online, and nothing is rejected', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const { app } = await startTestApp({ dataDir: dir, overrides: { simulator: true } });
    defer(() => app.stop());
    const sensors = await waitFor('all sensors reading', async () => {
      const s = (await (await fetch(`${app.httpUrl}/api/sensors`)).json()) as { sensors: { id: string; kind: string; value: number | null; stale: boolean }[] };
      return s.sensors.every((x) => x.value !== null && !x.stale) ? s.sensors : undefined;
    }, 10_000);
    for (const s of sensors.filter((x) => x.kind === 'soil-moisture')) expect(s.value).toBeGreaterThan(0);
    for (const s of sensors.filter((x) => x.kind === 'bin-level')) expect(s.value).toBeGreaterThanOrEqual(0);
    const devices = (await (await fetch(`${app.httpUrl}/api/devices`)).json()) as { devices: { id: string; status: string; reason: string }[] };
    expect(devices.devices.map((d) => d.status)).toEqual(['online', 'online', 'online', 'online']);
    const health = (await (await fetch(`${app.httpUrl}/healthz`)).json()) as { counters: Record<string, { total: number }> };
    expect(health.counters.readings_rejected).toBeUndefined();
    expect(health.counters.mqtt_publish_denied).toBeUndefined();
    expect(health.counters.readings_accepted?.total).toBeGreaterThanOrEqual(20);
  });
});
