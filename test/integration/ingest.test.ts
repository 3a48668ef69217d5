import mqtt, { type MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { startTestApp, tempDir, useCleanup, waitFor } from '../helpers/app.js';
import { openSse } from '../helpers/sse.js';

/**
 * The whole service in-process on free ports with a temporary data folder, driven over real
 * sockets: a real MQTT client publishes, HTTP is read with fetch.
 */
const SITE = 'xianxia-demo';
const raw = (sensor: string) => `tongxin/${SITE}/sensor/${sensor}/raw`;

const defer = useCleanup();

async function boot(dataDir: string) {
  const { app, logLines } = await startTestApp({ dataDir });
  defer(() => app.stop());
  return { app, logLines };
}
async function client(app: RunningApp): Promise<MqttClient> {
  const c = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
  defer(() => c.endAsync());
  return c;
}
const getJson = async <T = any>(url: string): Promise<T> => {
  const res = await fetch(url);
  return (await res.json()) as T;
};
const sensorOf = async (app: RunningApp, id: string) =>
  (await getJson<{ sensors: { id: string; value: number | null; raw: number | null; at: number | null; stale: boolean }[] }>(`${app.httpUrl}/api/sensors`)).sensors.find((s) => s.id === id);

describe('ingest end to end', () => {
  it('a raw reading published over MQTT is calibrated in /api/sensors and in the live stream', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const { app } = await boot(dir);
    const sse = await openSse(`${app.httpUrl}/api/live`);
    defer(() => sse.close());
    expect(sse.headers.get('content-type')).toContain('text/event-stream');
    await waitFor('hello event', () => sse.events.some((e) => e.event === 'hello'));

    const c = await client(app);
    await c.publishAsync(raw('soil-classroom-a'), JSON.stringify({ value: 405 }), { qos: 1 });

    const s = await waitFor('calibrated value', async () => {
      const v = await sensorOf(app, 'soil-classroom-a');
      return v?.value === 50 ? v : undefined;
    });
    expect(s).toMatchObject({ raw: 405, value: 50, stale: false });

    const live = await waitFor('reading on the live stream', () =>
      sse.events.find((e) => e.event === 'readings' && (e.data as { sensorId: string }[]).some((r) => r.sensorId === 'soil-classroom-a')),
    );
    expect((live.data as { sensorId: string; value: number; unit: string }[]).find((r) => r.sensorId === 'soil-classroom-a')).toMatchObject({ value: 50, unit: '%' });

    // The device that owns the sensor is now known to be online.
    const devices = await getJson<{ devices: { id: string; status: string }[] }>(`${app.httpUrl}/api/devices`);
    expect(devices.devices.find((d) => d.id === 'garden-node')?.status).toBe('online');
  });

  it('1,000 malformed payloads are each rejected and counted; the service stays healthy and keeps ingesting', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const { app, logLines } = await boot(dir);
    const c = await client(app);
    const bad = [
      () => 'not json at all',
      () => '{"value": "high"}',
      () => '{"value": 1, "at": "last tuesday"}',
      () => '[]',
      () => '{"valu": 3}',
    ];
    for (let i = 0; i < 1000; i++) {
      const topic = i % 10 === 0 ? raw('no-such-sensor') : raw('bin-p1-wet');
      c.publish(topic, (bad[i % bad.length] as () => string)(), { qos: 0 });
    }
    await c.publishAsync(raw('bin-p1-wet'), '55', { qos: 1 }); // a good one after the flood

    await waitFor('all rejections counted', async () => (await getJson(`${app.httpUrl}/healthz`)).counters.readings_rejected?.total === 1000, 10_000);
    const health = await getJson(`${app.httpUrl}/healthz`);
    expect(health.status).toBe('ok');
    // Every 10th goes to an unknown sensor (and would have been the not-json payload, i % 5 === 0).
    expect(health.counters.readings_rejected.by).toEqual({ 'not-json': 100, schema: 600, 'bad-timestamp': 200, 'unknown-sensor': 100 });
    expect((await sensorOf(app, 'bin-p1-wet'))?.value).toBe(50);
    // Logged with the reason, but throttled: not a thousand lines.
    const rejectedLines = logLines.filter((l) => l.includes('reading rejected'));
    expect(rejectedLines.length).toBeGreaterThan(0);
    expect(rejectedLines.length).toBeLessThanOrEqual(4 * 20);
    expect(rejectedLines.some((l) => l.includes('"reason":"bad-timestamp"'))).toBe(true);
  });

  it('stored readings survive a stop and a start on the same data folder', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const first = await startTestApp({ dataDir: dir });
    const c = await mqtt.connectAsync(first.app.mqttUrl, { reconnectPeriod: 0 });
    const at = Date.now() - 60_000;
    await c.publishAsync(raw('bin-p2-dry'), JSON.stringify([{ value: 82, at: at - 1000 }, { value: 64, at }]), { qos: 1 });
    await waitFor('reading ingested', async () => (await sensorOf(first.app, 'bin-p2-dry'))?.value === 40);
    await c.endAsync();
    await first.app.stop();

    const { app } = await boot(dir);
    const s = await sensorOf(app, 'bin-p2-dry');
    expect(s).toMatchObject({ value: 40, raw: 64, at });
    const history = await getJson<{ points: { at: number; value: number }[] }>(`${app.httpUrl}/api/sensors/bin-p2-dry/history?hours=1`);
    expect(history.points).toEqual([
      { at: at - 1000, value: 20 },
      { at, value: 40 },
    ]);
  });

  it('HTTP errors are readable JSON with a 4xx status', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const { app } = await boot(dir);
    const r1 = await fetch(`${app.httpUrl}/api/sensors/bin-p1-wet/history?hours=-3`);
    expect(r1.status).toBe(400);
    expect((await r1.json()).error).toMatchObject({ code: 'TX_BAD_REQUEST' });
    const r2 = await fetch(`${app.httpUrl}/api/sensors/nope/history`);
    expect(r2.status).toBe(404);
    expect((await r2.json()).error.message).toContain('nope');
    const r3 = await fetch(`${app.httpUrl}/api/nothing-here`);
    expect(r3.status).toBe(404);
    expect((await r3.json()).error.code).toBe('TX_NOT_FOUND');
    expect(r3.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});
