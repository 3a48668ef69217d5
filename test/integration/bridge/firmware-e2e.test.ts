import { describe, expect, it } from 'vitest';
import { waitForActuatorState } from '../../helpers/actuator-state.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../../helpers/app.js';
import { buildFirmware, startUno } from '../../helpers/simavr.js';

const defer = useCleanup();

type SensorsBody = { sensors: { id: string; value: number | null; raw: number | null; at: number | null }[] };

/**
 * The whole chain with our real firmware: the sketch compiled by avr-gcc runs on a simulated Uno;
 * the test sets millivolts on a soil probe, echo lengths on an ultrasonic sensor and breaks door
 * beams; the service supervises the real bridge on the Uno's serial pty; calibrated values appear in
 * /api/sensors, and the schedule's lid command reaches the relay pin and is acknowledged.
 */
describe('real firmware in simavr, end to end', () => {
  it('readings in calibrated, a lid command out to the relay pin and acknowledged', async () => {
    const firmware = await buildFirmware({ nodeId: 'bins-p1', reportMs: 500 });
    const uno = await startUno(firmware);
    defer(() => uno.stop());
    const tmp = tempDir();
    defer(tmp.remove);
    const base = await demoConfigWith((doc) => {
      // Untrusted (no NTP, no stored time): lids take their safe state, open, whatever the hour.
      doc.clock.trustAtStart = false;
      doc.devices.find((d: { id: string }) => d.id === 'bins-p1').link = 'serial';
      // One node in the simulated Uno serves a bin, a soil probe and a door, as a small site might.
      for (const id of ['soil-herbs-a', 'door-main-in', 'door-main-out']) doc.sensors.find((s: { id: string }) => s.id === id).device = 'bins-p1';
      doc.links = [
        {
          id: 'uno',
          kind: 'serial',
          device: 'bins-p1',
          path: uno.pty,
          sensors: { m0: 'soil-herbs-a', u0: 'bin-p1-wet', f0in: 'door-main-in', f0out: 'door-main-out' },
          actuators: { r0: 'lid-p1-wet' },
        },
      ];
    });
    // Soil probe: 405 ADC counts is 50 % by the demo calibration (560 dry, 250 wet): 405/1023 of 5 V.
    uno.setMillivolts(0, Math.round((405 * 5000) / 1023));
    // Bin: 55 cm to the rubbish is 50 % (100 cm empty, 10 cm full); sound takes 58 µs per cm there and back.
    uno.setEcho(4, 5, 55 * 58);

    const { app } = await startTestApp({ dataDir: tmp.dir, config: testConfig(tmp.dir, {}, base) });
    defer(() => app.stop());
    const sensors = async () => ((await app.http.inject({ method: 'GET', url: '/api/sensors' })).json() as SensorsBody).sensors;

    const soil = await waitFor('soil reading', async () => (await sensors()).find((s) => s.id === 'soil-herbs-a' && s.value !== null), 30_000);
    expect(soil.value).toBeGreaterThan(48);
    expect(soil.value).toBeLessThan(52);
    const bin = await waitFor('bin reading', async () => (await sensors()).find((s) => s.id === 'bin-p1-wet' && s.value !== null), 30_000);
    expect(bin.raw).toBeGreaterThan(54);
    expect(bin.raw).toBeLessThan(56);
    expect(bin.value).toBeCloseTo(50, 0);

    // Someone walks in: the outer beam breaks, then the inner, then both clear.
    for (const [pin, v] of [[2, 0], [3, 0], [2, 1], [3, 1]] as const) {
      uno.setPin(pin, v);
      await new Promise((r) => setTimeout(r, 150));
    }
    const door = await waitFor('door count', async () => (await sensors()).find((s) => s.id === 'door-main-in' && s.raw === 1), 15_000);
    expect(door.value).toBe(1);

    // The clock is not trusted in tests, so the schedule puts lids in their safe state: open.
    await uno.waitOutput(8, 1, 30_000);
    await waitForActuatorState(app, 'lid-p1-wet', 'open');
    expect(uno.outputHistory(8).filter((v) => v === 1)).toHaveLength(1);
  }, 120_000);
});
