import { describe, expect, it } from 'vitest';
import { waitForActuatorState } from '../../helpers/actuator-state.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../../helpers/app.js';
import { openPtyPair } from '../../helpers/pty.js';
import { fakeNodeOnPty } from '../../helpers/serial-harness.js';

const defer = useCleanup();

type SensorsBody = { sensors: { id: string; value: number | null; raw: number | null; stale: boolean }[] };
type DevicesBody = { devices: { id: string; status: string }[] };

/**
 * End to end through real processes: frames written on a pty → the bridge child that `tongxin
 * start` supervises (the built dist/ binary) → the embedded broker → the service → /api/sensors;
 * and a lid command from the waste schedule back down to the node.
 */
describe('bridge inside the service', () => {
  it('takes frames from a pty to /api/sensors, and lid commands to the node', async () => {
    const tmp = tempDir();
    defer(tmp.remove);
    const pair = await openPtyPair(tmp.dir);
    defer(() => pair.close());
    const n = await fakeNodeOnPty(pair, 'bins-p1');
    defer(() => n.close());
    const base = await demoConfigWith((doc) => {
      // Untrusted (no NTP, no stored time): lids take their safe state, open, whatever the hour.
      doc.clock.trustAtStart = false;
      doc.devices.find((d: { id: string }) => d.id === 'bins-p1').link = 'serial';
      doc.links = [{ id: 'bins-p1-uno', kind: 'serial', device: 'bins-p1', path: pair.device, sensors: { u0: 'bin-p1-wet' }, actuators: { r0: 'lid-p1-wet' } }];
    });
    const { app } = await startTestApp({ dataDir: tmp.dir, config: testConfig(tmp.dir, {}, base) });
    defer(() => app.stop());
    const get = async <T>(url: string) => (await app.http.inject({ method: 'GET', url })).json() as T;

    await waitFor('bridge running', () => app.supervisor.status().some((c) => c.name === 'bridge:bins-p1-uno' && c.state === 'running'), 10_000);
    await waitFor('node online', async () => (await get<DevicesBody>('/api/devices')).devices.find((d) => d.id === 'bins-p1')?.status === 'online', 15_000);

    // 55 cm from the sensor to the rubbish: the demo calibration (100 cm empty, 10 cm full) says 50 %.
    const node = n.node;
    const ticker = setInterval(() => node.reading('u0', 55), 200);
    defer(() => clearInterval(ticker));
    const reading = await waitFor('calibrated reading', async () => (await get<SensorsBody>('/api/sensors')).sensors.find((s) => s.id === 'bin-p1-wet' && s.raw === 55), 10_000);
    expect(reading.value).toBeCloseTo(50, 5);
    expect(reading.stale).toBe(false);

    // The clock is not trusted in tests, so the schedule puts lids in the safe state (open).
    await waitFor('lid relay on', () => node.outputs.get('r0') === 'on', 15_000);
    await waitForActuatorState(app, 'lid-p1-wet', 'open');

    // Unplugged: the device goes offline and its last reading is marked stale.
    clearInterval(ticker);
    await n.close();
    await pair.close();
    await waitFor('node offline', async () => (await get<DevicesBody>('/api/devices')).devices.find((d) => d.id === 'bins-p1')?.status === 'offline', 10_000);
    const after = await get<SensorsBody>('/api/sensors');
    expect(after.sensors.find((s) => s.id === 'bin-p1-wet')).toMatchObject({ raw: 55, stale: true });
    const health = await get<{ checks: { children: { list: { name: string; state: string }[] } } }>('/healthz');
    expect(health.checks.children.list).toContainEqual(expect.objectContaining({ name: 'bridge:bins-p1-uno', state: 'running' }));
  }, 60_000);
});
