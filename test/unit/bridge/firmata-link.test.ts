import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FirmataLinkConfig } from '../../../src/config/links-schema.js';
import { createFirmataLink, type FirmataTimings } from '../../../firmware-bridge/src/firmata/firmata-link.js';
import { CommandFailed, type Link } from '../../../firmware-bridge/src/link.js';
import { tempDir, useCleanup, waitFor } from '../../helpers/app.js';
import { FakeFirmataIo } from '../../helpers/fake-firmata-io.js';
import { describeLinkContract, recorder } from '../../helpers/link-contract.js';

/**
 * The Firmata link over real johnny-five components on a fake StandardFirmata IO plugin: what it
 * reports and when, how it drives outputs and checks them, and how it gives up on a lost board.
 */
const defer = useCleanup();
const T0 = Date.UTC(2026, 4, 1, 8, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Longer than johnny-five's 7 ms Button debounce, so every edge is seen. */
const EDGE_MS = 20;

const baseConfig = (over: Partial<FirmataLinkConfig> = {}): FirmataLinkConfig => ({
  id: 'lounge-door',
  device: 'door-uno',
  kind: 'firmata',
  path: '/dev/tongxin-door',
  baudRate: 57600,
  reportSeconds: 0.1,
  sensors: [],
  actuators: [],
  ...over,
});

async function boot(config: FirmataLinkConfig, o: { timings?: Partial<FirmataTimings>; ready?: boolean; pingPins?: number[] } = {}) {
  const io = new FakeFirmataIo({ pingPins: o.pingPins ?? [] });
  const link = createFirmataLink(config, { io, now: () => T0, timings: o.timings });
  const rec = recorder();
  const order: string[] = [];
  const { nodeStatus, fatal } = rec.listener;
  rec.listener.nodeStatus = (s, r) => (order.push(s), nodeStatus(s, r));
  rec.listener.fatal = (e) => (order.push('fatal'), fatal(e));
  defer(() => io.dispose());
  defer(() => link.stop());
  await link.start(rec.listener);
  if (o.ready !== false) {
    io.becomeReady();
    await waitFor('online', () => rec.statuses.at(-1)?.status === 'online');
  }
  return { io, link, rec, order };
}

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => (e instanceof CommandFailed ? e.reason : `not a CommandFailed: ${String(e)}`));

describe('firmata link: sensors', () => {
  it('reports analog and distance readings every reportSeconds, the latest value, under the site ids', async () => {
    const config = baseConfig({
      sensors: [
        { type: 'analog', sensor: 'soil-1', pin: 'A0' },
        { type: 'ultrasonic', sensor: 'bin-1', pin: 'A1', controller: 'MB1000' },
      ],
    });
    const { io, rec } = await boot(config);
    io.setAnalog(1, 400); // MB1000: counts / 2 inches → 400 counts = 508 cm
    const started = Date.now();
    for (let v = 0; v < 60; v++) {
      io.setAnalog(0, 300 + v);
      await sleep(5);
    }
    const elapsed = Date.now() - started;
    await sleep(250);
    const soil = rec.samples.filter((s) => s.sensorId === 'soil-1');
    // One sample per period, not one per change (60 changes).
    expect(soil.length).toBeGreaterThan(0);
    expect(soil.length).toBeLessThanOrEqual(Math.ceil((elapsed + 250) / 100) + 1);
    expect(soil.at(-1)?.raw).toBe(359);
    expect(rec.samples.filter((s) => s.sensorId === 'bin-1').at(-1)?.raw).toBe(508);
    expect(rec.samples.every((s) => s.at === T0)).toBe(true);
    expect(rec.rejected).toEqual([]);
  });

  it('reports an HC-SR04 through PingFirmata in cm', async () => {
    const { io, rec } = await boot(baseConfig({ sensors: [{ type: 'ultrasonic', sensor: 'bin-2', pin: 7, controller: 'HCSR04' }] }), { pingPins: [7] });
    io.setEcho(7, 1746); // µs there and back: 1746 / 29.1 / 2 = 30 cm
    await waitFor('30 cm', () => rec.samples.some((s) => s.sensorId === 'bin-2' && s.raw === 30));
  });

  it('counts people through a beam pair: outer then inner = in, inner then outer = out, one beam and back = nothing', async () => {
    const config = baseConfig({ sensors: [{ type: 'beam-pair', outerPin: 2, innerPin: 3, inSensor: 'door-in', outSensor: 'door-out' }] });
    const { io, rec } = await boot(config);
    // Beam receivers pull low when broken: the link turned the pull-ups on.
    expect(io.writes).toContainEqual({ op: 'digitalWrite', pin: 2, value: 1 });
    expect(io.writes).toContainEqual({ op: 'digitalWrite', pin: 3, value: 1 });
    const steps = async (...edges: [number, 0 | 1][]) => {
      for (const [pin, level] of edges) {
        io.setDigital(pin, level);
        await sleep(EDGE_MS);
      }
    };
    const door = () => rec.samples.filter((s) => s.sensorId.startsWith('door-')).map((s) => `${s.sensorId}=${s.raw}`);
    await steps([2, 0], [3, 0], [2, 1], [3, 1]);
    await waitFor('one in', () => door().length === 1);
    await steps([3, 0], [2, 0], [3, 1], [2, 1]);
    await waitFor('one out', () => door().length === 2);
    await steps([2, 0], [2, 1], [3, 0], [3, 1]);
    await sleep(100);
    expect(door()).toEqual(['door-in=1', 'door-out=1']);
  });

  it('reports a button and a PIR as 1 and 0 when they change', async () => {
    const config = baseConfig({
      sensors: [
        { type: 'button', sensor: 'lid-1', pin: 4 },
        { type: 'motion', sensor: 'pir-1', pin: 5 },
      ],
    });
    const { io, rec } = await boot(config);
    const seen = (id: string) => rec.samples.filter((s) => s.sensorId === id).map((s) => s.raw);
    io.setDigital(4, 1);
    io.setDigital(5, 1);
    await waitFor('pressed and moving', () => seen('lid-1').length === 1 && seen('pir-1').length === 1);
    io.setDigital(4, 0);
    io.setDigital(5, 0);
    await waitFor('released and still', () => seen('lid-1').length === 2 && seen('pir-1').length === 2);
    expect([seen('lid-1'), seen('pir-1')]).toEqual([
      [1, 0],
      [1, 0],
    ]);
  });

  it('counts bad input and keeps reporting: out-of-range and NaN counts, an infinite distance, firmware messages, a component the firmware lacks', async () => {
    const config = baseConfig({
      sensors: [
        { type: 'analog', sensor: 'soil-1', pin: 'A0' },
        { type: 'ultrasonic', sensor: 'gap-1', pin: 'A1', controller: 'GP2Y0A21YK' },
        { type: 'ultrasonic', sensor: 'bin-2', pin: 7, controller: 'HCSR04' },
      ],
    });
    const { io, rec } = await boot(config);
    // HC-SR04 needs PingFirmata: johnny-five fails to build it on StandardFirmata.
    expect(rec.rejected).toContainEqual({ reason: 'component-failed', detail: expect.stringContaining('bin-2: Please upload PingFirmata') });
    const reasons = () => rec.rejected.map((r) => r.reason);
    io.setAnalog(0, 16383); // the most a 14-bit Firmata analog message can carry
    await waitFor('out of range', () => reasons().includes('bad-analog-value'));
    io.setAnalog(0, Number.NaN);
    await waitFor('NaN', () => rec.rejected.some((r) => r.detail === 'soil-1: NaN'));
    // A GP2Y0A21YK reading 0 V from the very first report (unplugged at boot): 12343.85 × 0^-1.15 = Infinity cm.
    io.setAnalog(1, 0);
    await waitFor('infinite distance', () => rec.rejected.some((r) => r.reason === 'bad-distance' && r.detail === 'gap-1: Infinity cm'));
    io.setAnalog(1, 300);
    await waitFor('a distance', () => rec.samples.some((s) => s.sensorId === 'gap-1'));
    io.sendString('Unknown pin mode');
    expect(rec.rejected.at(-1)).toEqual({ reason: 'firmware-message', detail: 'Unknown pin mode' });
    io.setAnalog(0, 512);
    await waitFor('good samples again', () => rec.samples.some((s) => s.sensorId === 'soil-1' && s.raw === 512));
    expect(rec.statuses.map((s) => s.status)).toEqual(['online']);
    expect(rec.fatal).toEqual([]);
  });
});

describe('firmata link: actuators', () => {
  const config = baseConfig({
    actuators: [
      { type: 'relay', actuator: 'pump', pin: 8, activeLow: false },
      { type: 'relay', actuator: 'lamp', pin: 7, activeLow: true },
      { type: 'servo', actuator: 'lid', pin: 9, onAngle: 120, offAngle: 10 },
    ],
  });
  /** johnny-five's servo: 0–180° onto 600–2400 µs. */
  const pulse = (deg: number) => 600 + deg * 10;

  it('puts every actuator off at start and reports it, an active-low relay driven high', async () => {
    const { io, rec } = await boot(config);
    await waitFor('three offs', () => rec.states.length === 3);
    expect(rec.states).toEqual([
      { actuatorId: 'pump', state: 'off' },
      { actuatorId: 'lamp', state: 'off' },
      { actuatorId: 'lid', state: 'off' },
    ]);
    expect([io.output(8), io.output(7), io.servo(9)]).toEqual([0, 1, pulse(10)]);
  });

  it('moves relays and servos on command and resolves with the state read back', async () => {
    const { io, link, rec } = await boot(config);
    await expect(link.command('pump', 'on')).resolves.toBe('on');
    await expect(link.command('lamp', 'on')).resolves.toBe('on');
    await expect(link.command('lid', 'on')).resolves.toBe('on');
    expect([io.output(8), io.output(7), io.servo(9)]).toEqual([1, 0, pulse(120)]);
    await expect(link.command('lamp', 'off')).resolves.toBe('off');
    await expect(link.command('lid', 'off')).resolves.toBe('off');
    expect([io.output(7), io.servo(9)]).toEqual([1, pulse(10)]);
    expect(rec.states.slice(3)).toEqual([
      { actuatorId: 'pump', state: 'on' },
      { actuatorId: 'lamp', state: 'on' },
      { actuatorId: 'lid', state: 'on' },
      { actuatorId: 'lamp', state: 'off' },
      { actuatorId: 'lid', state: 'off' },
    ]);
  });

  it('answers commands it cannot carry out: unknown actuator, board not ready, no read-back, a pin reading otherwise', async () => {
    const { io, link, rec } = await boot(config, { ready: false, timings: { ackMs: 100 } });
    expect(await failure(link.command('no-such-pump', 'on'))).toBe('unknown-actuator');
    expect(await failure(link.command('pump', 'on'))).toBe('node-offline');
    io.becomeReady();
    await waitFor('started', () => rec.states.length === 3);
    io.pinStateAnswers = 'never';
    expect(await failure(link.command('pump', 'on'))).toBe('no-ack');
    io.pinStateAnswers = 'wrong';
    expect(await failure(link.command('pump', 'off'))).toBe('refused');
    expect(rec.states.filter((s) => s.actuatorId === 'pump').map((s) => s.state)).toEqual(['off']);
  });

  it('fails a command still waiting for its read-back with link-stopped when the link stops', async () => {
    const { io, link } = await boot(config);
    io.pinStateAnswers = 'never';
    const waiting = failure(link.command('pump', 'on'));
    await sleep(20);
    await link.stop();
    expect(await waiting).toBe('link-stopped');
    expect(await failure(link.command('pump', 'on'))).toBe('link-stopped');
  });
});

describe('firmata link: a lost board', () => {
  const config = baseConfig({ sensors: [{ type: 'analog', sensor: 'soil-1', pin: 'A0' }], actuators: [{ type: 'relay', actuator: 'pump', pin: 8, activeLow: false }] });

  it.each(['close', 'disconnect'] as const)('port %s: offline, then fatal, at once; commands fail node-offline', async (how) => {
    const { io, link, rec, order } = await boot(config);
    io.lose(how);
    expect(order).toEqual(['online', 'offline', 'fatal']);
    expect(rec.fatal[0]?.message).toMatch(/lounge|tongxin-door/);
    expect(await failure(link.command('pump', 'on'))).toBe('node-offline');
  });

  it('a board that stops answering: offline within silenceMs plus a heartbeat', async () => {
    const { io, rec, order } = await boot(config, { timings: { heartbeatMs: 50, silenceMs: 200 } });
    await sleep(300);
    expect(rec.statuses.at(-1)?.status).toBe('online'); // answering heartbeats keep it online
    io.hung = true;
    const hungAt = Date.now();
    await waitFor('offline', () => rec.statuses.at(-1)?.status === 'offline', 1000);
    // silenceMs plus one heartbeat, with room for a busy machine; far below readyMs (10 s).
    expect(Date.now() - hungAt).toBeLessThan(200 + 50 + 300);
    expect(rec.statuses.at(-1)?.reason).toBe('not answering');
    expect(order).toEqual(['online', 'offline', 'fatal']);
  });

  it('a board that never finishes its handshake: offline and fatal after readyMs', async () => {
    const { rec, order } = await boot(config, { ready: false, timings: { readyMs: 150 } });
    await waitFor('fatal', () => rec.fatal.length === 1, 1000);
    expect(order).toEqual(['offline', 'fatal']);
    expect(rec.statuses[0]?.reason).toBe('no firmata handshake');
  });

  it('a port that does not exist: offline "port missing" at once, fatal after missingPortMs', async () => {
    const tmp = tempDir('tongxin-firmata-');
    defer(tmp.remove);
    const link = createFirmataLink(baseConfig({ path: join(tmp.dir, 'no-such-tty') }), { timings: { missingPortMs: 150 } });
    defer(() => link.stop());
    const rec = recorder();
    await link.start(rec.listener);
    expect(rec.statuses).toEqual([{ status: 'offline', reason: 'port missing' }]);
    expect(rec.fatal).toEqual([]);
    expect(await failure(link.command('no-such', 'on'))).toBe('unknown-actuator');
    await waitFor('fatal', () => rec.fatal.length === 1, 1000);
    expect(rec.fatal[0]?.message).toMatch(/no such file/i);
  });

  it('stop() leaves no timer behind and reports nothing more', async () => {
    const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await sleep(50);
    const before = timeouts();
    const config2 = baseConfig({
      sensors: [
        { type: 'analog', sensor: 'soil-1', pin: 'A0' },
        { type: 'ultrasonic', sensor: 'bin-1', pin: 'A1', controller: 'MB1000' },
        { type: 'motion', sensor: 'pir-1', pin: 5 },
      ],
    });
    const { io, link, rec } = await boot(config2, { timings: { heartbeatMs: 50 } });
    io.setAnalog(0, 100);
    await waitFor('a sample', () => rec.samples.length > 0);
    expect(timeouts()).toBeGreaterThan(before);
    await link.stop();
    const n = rec.samples.length;
    io.setAnalog(0, 200);
    await sleep(250);
    expect(rec.samples.length).toBe(n);
    expect(timeouts()).toBeLessThanOrEqual(before);
  });
});

describeLinkContract('firmata on a fake IO', async () => {
  const io = new FakeFirmataIo({ readyAfterMs: 10 });
  const link: Link = createFirmataLink(
    baseConfig({ sensors: [{ type: 'analog', sensor: 'soil-1', pin: 'A0' }], actuators: [{ type: 'relay', actuator: 'pump', pin: 8, activeLow: false }] }),
    { io },
  );
  return {
    link,
    sensor: { id: 'soil-1', raws: [200, 800], tolerance: 0 },
    actuatorId: 'pump',
    setRaw: async (raw) => io.setAnalog(0, raw),
    actuatorOutput: async () => (io.output(8) === 1 ? 'on' : 'off'),
    // A corrupt analog frame: 14 bits carry up to 16383, an Uno's ADC only 1023.
    injectBadInput: async () => io.setAnalog(0, 16383),
    disconnect: async () => io.lose('close'),
    offlineWithinMs: 1000,
    close: async () => io.dispose(),
  };
});
