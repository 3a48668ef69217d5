import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../../helpers/app.js';
import { standardFirmataHex, startUno, type Uno } from '../../helpers/simavr.js';

const defer = useCleanup();

type SensorsBody = { sensors: { id: string; raw: number | null; at: number | null }[] };
type DevicesBody = { devices: { id: string; status: string }[] };

/**
 * johnny-five cannot reopen a board in a running process (DESIGN.md), so a Firmata bridge whose
 * board is lost exits, and `tongxin start`'s supervisor starts a fresh one. Here a real
 * StandardFirmata in simavr is "unplugged" (the simulator dies) and "plugged back" (a new simulator
 * behind the same stable name, as a udev symlink would be): the device is reported offline
 * meanwhile, the bridge is restarted, and readings resume without restarting the service.
 */
describe('Firmata bridge under the supervisor', () => {
  it('exits when the board is lost, is restarted, and reads again once the board is back', async () => {
    const tmp = tempDir();
    defer(tmp.remove);
    const stable = join(tmp.dir, 'tongxin-bins');
    const hex = await standardFirmataHex();
    let uno: Uno = await startUno(hex);
    defer(() => uno.stop());
    symlinkSync(uno.pty, stable);
    uno.setMillivolts(0, 2500);

    const base = await demoConfigWith((doc) => {
      doc.devices.find((d: { id: string }) => d.id === 'bins-p2').link = 'firmata';
      doc.links = [{ id: 'bins-p2-board', kind: 'firmata', device: 'bins-p2', path: stable, reportSeconds: 0.5, sensors: [{ type: 'analog', sensor: 'bin-p2-wet', pin: 'A0' }], actuators: [] }];
    });
    const { app } = await startTestApp({ dataDir: tmp.dir, config: testConfig(tmp.dir, {}, base) });
    defer(() => app.stop());
    const get = async <T>(url: string) => (await app.http.inject({ method: 'GET', url })).json() as T;
    const raw = async () => (await get<SensorsBody>('/api/sensors')).sensors.find((s) => s.id === 'bin-p2-wet')?.raw ?? null;
    const status = async () => (await get<DevicesBody>('/api/devices')).devices.find((d) => d.id === 'bins-p2')?.status;
    const child = () => app.supervisor.status().find((c) => c.name === 'bridge:bins-p2-board');

    await waitFor('first readings (2500 mV ≈ 511)', async () => Math.abs(((await raw()) ?? 0) - 511) <= 3, 45_000);
    expect(await status()).toBe('online');

    await uno.stop();
    await waitFor('device offline', async () => (await status()) === 'offline', 20_000);
    await waitFor('bridge exited and restarted', () => (child()?.restarts ?? 0) >= 1, 20_000);
    expect(child()?.lastExit?.code).toBe(3);

    uno = await startUno(hex);
    uno.setMillivolts(0, 1000);
    rmSync(stable);
    symlinkSync(uno.pty, stable);
    await waitFor('readings resume (1000 mV ≈ 205)', async () => Math.abs(((await raw()) ?? 0) - 205) <= 3, 60_000);
    await waitFor('device online again', async () => (await status()) === 'online', 10_000);
  }, 180_000);
});
