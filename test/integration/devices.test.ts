import { hash } from '@node-rs/argon2';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../helpers/app.js';

/** Device presence from the retained status and the last will, over a real connection. */
const defer = useCleanup();

describe('device status', () => {
  it('a device that vanishes without a goodbye is reported offline by its last will', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const passwordHash = await hash('door-secret-1');
    const base = await demoConfigWith((doc) => {
      doc.mqtt.users = [{ username: 'doors', passwordHash, role: 'device', device: 'doors' }];
    });
    const { app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base) });
    defer(() => app.stop());
    const statusTopic = 'tongxin/xianxia-demo/device/doors/status';
    const device = await mqtt.connectAsync(app.mqttUrl, {
      username: 'doors',
      password: 'door-secret-1',
      reconnectPeriod: 0,
      will: { topic: statusTopic, payload: Buffer.from('offline'), retain: true, qos: 1 },
    });
    await device.publishAsync(statusTopic, 'online', { retain: true, qos: 1 });
    const doors = async () =>
      ((await (await fetch(`${app.httpUrl}/api/devices`)).json()) as { devices: { id: string; status: string; reason: string }[] }).devices.find((d) => d.id === 'doors');
    await waitFor('online', async () => (await doors())?.status === 'online');

    // Pull the plug: the TCP stream dies without a DISCONNECT, so the broker publishes the will.
    (device.stream as unknown as { destroy(): void }).destroy();
    device.end(true);
    const gone = await waitFor('offline by will', async () => {
      const d = await doors();
      return d?.status === 'offline' ? d : undefined;
    });
    expect(gone.reason).toBe('reported');
    // A sensor on that device now reads as stale, not as current.
    const sensors = (await (await fetch(`${app.httpUrl}/api/sensors`)).json()) as { sensors: { id: string; stale: boolean }[] };
    expect(sensors.sensors.find((s) => s.id === 'door-main-in')?.stale).toBe(true);
  });
});
