import { describe, expect, it } from 'vitest';
import { createStatePublisher, gardenPayload } from '../../../src/garden/garden-state.js';
import type { BedView } from '../../../src/garden/bed-controller.js';
import { stuckCheck, stuckRecovered } from '../../../src/garden/stuck-valve.js';
import { valveNeedsCommand } from '../../../src/garden/valve-command.js';

const MIN = 60_000;

describe('stuck valve', () => {
  const base = { runStartedAt: 0, moistureBefore: 28, stuckAfterMs: 10 * MIN, risePercent: 2 };
  it.each([
    { name: 'too early to tell', moisture: 28.5, now: 9 * MIN, expected: 'watching' },
    { name: 'no rise after stuckAfter', moisture: 29.9, now: 10 * MIN, expected: 'stuck' },
    { name: 'drier than before', moisture: 25, now: 12 * MIN, expected: 'stuck' },
    { name: 'rose enough', moisture: 30, now: 3 * MIN, expected: 'rose' },
    { name: 'no trusted moisture now', moisture: null, now: 20 * MIN, expected: 'unknown' },
  ])('$name → $expected', ({ moisture, now, expected }) => {
    expect(stuckCheck({ ...base, moisture, now })).toBe(expected);
  });
  it('recovers when the bed gets wetter than when it was found stuck, by the rise', () => {
    expect(stuckRecovered({ moistureWhenStuck: 25, moisture: 26.9, risePercent: 2 })).toBe(false);
    expect(stuckRecovered({ moistureWhenStuck: 25, moisture: 27, risePercent: 2 })).toBe(true);
    expect(stuckRecovered({ moistureWhenStuck: 25, moisture: null, risePercent: 2 })).toBe(false);
  });
});

describe('valve commands', () => {
  const base = { desired: 'on' as const, force: false, resendMs: 30_000 };
  it.each([
    { name: 'wanted state changed', lastCommanded: 'off', lastSentAt: undefined, reported: undefined, now: 0, expected: true },
    { name: 'assumed off at start, valve silent: nothing to say', desired: 'off', lastCommanded: 'off', lastSentAt: undefined, reported: undefined, now: 0, expected: false },
    { name: 'assumed off at start, valve reports on', desired: 'off', lastCommanded: 'off', lastSentAt: undefined, reported: 'on', now: 0, expected: true },
    { name: 'state unknown after a restart', lastCommanded: undefined, lastSentAt: undefined, reported: 'on', now: 0, expected: true },
    { name: 'valve agrees', lastCommanded: 'on', lastSentAt: 0, reported: 'on', now: 1e9, expected: false },
    { name: 'valve disagrees, too soon', lastCommanded: 'on', lastSentAt: 0, reported: 'off', now: 29_999, expected: false },
    { name: 'valve disagrees, resend', lastCommanded: 'on', lastSentAt: 0, reported: 'off', now: 30_000, expected: true },
    { name: 'no answer, resend', lastCommanded: 'on', lastSentAt: 0, reported: undefined, now: 30_000, expected: true },
    { name: 'device back online', lastCommanded: 'on', lastSentAt: 0, reported: 'on', now: 1, force: true, expected: true },
  ] as const)('$name → $expected', ({ expected, name: _n, ...o }) => {
    expect(valveNeedsCommand({ ...base, ...o })).toBe(expected);
  });
});

describe('garden state payload', () => {
  const view = (moisture: number, on: boolean, at: number): BedView => ({
    bedId: 'b',
    probes: { a: { value: moisture, trusted: true }, c: { value: 3, trusted: false, fault: 'impossible-value' } },
    moisture,
    level: 'ok',
    decision: { on, reason: on ? 'dry' : 'ok', mode: 'auto' },
    override: { state: 'on', setAt: 0, until: 1000, setBy: 'x' },
    lastRun: null,
    stuck: null,
    at,
  });
  it('rounds to a tenth and shows an override only while it holds', () => {
    const p = gardenPayload(view(33.333, false, 500));
    expect(p).toMatchObject({ moisture: 33.3, probes: { a: { value: 33.3, trusted: true }, c: { trusted: false, fault: 'impossible-value' } }, overrideUntil: new Date(1000).toISOString() });
    expect(gardenPayload(view(33.333, false, 1000)).overrideUntil).toBeNull();
  });
  it('publishes a new number at most every interval, a new watering state at once', () => {
    const publish = createStatePublisher(5000);
    const p = (moisture: number, on: boolean, at: number) => gardenPayload({ ...view(moisture, on, at), override: null });
    expect(publish(p(33, false, 0), 0)).toBe(true);
    expect(publish(p(33, false, 0), 10_000)).toBe(false); // nothing changed
    expect(publish(p(34, false, 1000), 1000)).toBe(false);
    expect(publish(p(34, true, 1000), 1000)).toBe(true);
    expect(publish(p(35, true, 4000), 4000)).toBe(false);
    expect(publish(p(35, true, 7000), 7000)).toBe(true);
  });
});
