import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandFailed, type Link, type LinkListener, type LinkSample, type SwitchState } from '../../firmware-bridge/src/link.js';
import { waitFor } from './app.js';

/**
 * The one suite every link implementation passes (EXAMPLES.md §2): serial line protocol on a pty
 * and on the mock binding, Firmata on a fake IO and in simavr, Modbus on a pty. A harness puts a
 * real or simulated node behind the link and lets the suite act on the node's side.
 */
export interface LinkHarness {
  link: Link;
  /** A sensor the node serves, the raw value it will measure next, and how close the link must report it. */
  sensor: { id: string; raws: [number, number]; tolerance: number };
  /** An actuator the node drives, or undefined for links without actuators (Modbus probes). */
  actuatorId?: string;
  /** Make the node measure `raw` on the sensor (millivolts, echo lengths, registers: the harness converts). */
  setRaw(raw: number): Promise<void>;
  /** The physical output the node drives for the actuator now. */
  actuatorOutput?(): Promise<SwitchState>;
  /** Put bad input on the node's side that the link must count (a corrupt frame, a bad CRC, a failed poll). */
  injectBadInput(): Promise<void>;
  /** Take the node away (unplug, power off, stop answering). */
  disconnect(): Promise<void>;
  /** How long the link may take to notice a lost node. */
  offlineWithinMs: number;
  close(): Promise<void>;
}

export interface Recorded {
  samples: LinkSample[];
  statuses: { status: 'online' | 'offline'; reason: string }[];
  states: { actuatorId: string; state: SwitchState }[];
  rejected: { reason: string; detail: string }[];
  fatal: Error[];
  listener: LinkListener;
}

export function recorder(): Recorded {
  const r: Recorded = {
    samples: [],
    statuses: [],
    states: [],
    rejected: [],
    fatal: [],
    listener: {
      sample: (s) => r.samples.push(s),
      nodeStatus: (status, reason) => r.statuses.push({ status, reason }),
      actuatorState: (actuatorId, state) => r.states.push({ actuatorId, state }),
      rejected: (reason, detail) => r.rejected.push({ reason, detail }),
      fatal: (err) => r.fatal.push(err),
    },
  };
  return r;
}

const lastStatus = (r: Recorded) => r.statuses.at(-1)?.status;

export function describeLinkContract(name: string, makeHarness: () => Promise<LinkHarness>, opts: { timeoutMs?: number } = {}) {
  const timeout = opts.timeoutMs ?? 10_000;
  describe(`link contract: ${name}`, () => {
    let h: LinkHarness;
    let rec: Recorded;
    beforeEach(async () => {
      h = await makeHarness();
      rec = recorder();
      await h.link.start(rec.listener);
      await waitFor('node online', () => lastStatus(rec) === 'online', timeout);
    }, timeout * 2);
    afterEach(async () => {
      await h.link.stop();
      await h.close();
    }, timeout);

    it('reports what the node measures, in raw units, under the site sensor id', async () => {
      for (const raw of h.sensor.raws) {
        await h.setRaw(raw);
        await waitFor(`a sample near ${raw}`, () => rec.samples.some((s) => s.sensorId === h.sensor.id && Math.abs(s.raw - raw) <= h.sensor.tolerance), timeout);
      }
      const last = rec.samples.filter((s) => s.sensorId === h.sensor.id).at(-1);
      expect(last?.at).toBeGreaterThan(Date.UTC(2020, 0, 1));
    }, timeout * 3);

    it('moves an actuator and reports the acknowledged state', async () => {
      if (!h.actuatorId || !h.actuatorOutput) {
        // A link without actuators must still answer a command, as failed, never silently.
        await expect(h.link.command('no-such-actuator', 'on')).rejects.toBeInstanceOf(CommandFailed);
        return;
      }
      for (const state of ['on', 'off', 'on'] as const) {
        await expect(h.link.command(h.actuatorId, state)).resolves.toBe(state);
        expect(await h.actuatorOutput()).toBe(state);
      }
      await waitFor('state reported', () => rec.states.some((s) => s.actuatorId === h.actuatorId && s.state === 'on'), timeout);
      const unknown = await h.link.command('no-such-actuator', 'on').catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(CommandFailed);
      expect((unknown as CommandFailed).reason).toBe('unknown-actuator');
    }, timeout * 3);

    it('counts bad input with its reason and keeps going', async () => {
      const before = rec.rejected.length;
      await h.injectBadInput();
      await waitFor('a rejection', () => rec.rejected.length > before, timeout);
      expect(rec.rejected.at(-1)?.reason).toMatch(/^[a-z][a-z-]+$/);
      await h.setRaw(h.sensor.raws[1]);
      const n = rec.samples.length;
      await waitFor('samples after bad input', () => rec.samples.length > n, timeout);
    }, timeout * 3);

    it('reports a lost node offline and fails commands for it at once', async () => {
      await h.disconnect();
      await waitFor('node offline', () => lastStatus(rec) === 'offline', h.offlineWithinMs);
      const started = Date.now();
      const err = await h.link.command(h.actuatorId ?? 'no-such-actuator', 'on').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CommandFailed);
      if (h.actuatorId) expect((err as CommandFailed).reason).toBe('node-offline');
      expect(Date.now() - started).toBeLessThan(1000);
    }, timeout * 3);
  });
}
