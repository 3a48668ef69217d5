import { describe, expect, it } from 'vitest';
import { desiredLid, lidNeedsCommand } from '../../../src/waste/lid-decision.js';
import { MAX_LOOKBACK_MS, slotCheckRange, slotOutcome } from '../../../src/waste/missed-pickups.js';

describe('lid decision', () => {
  it.each([
    { categoryOpen: true, lateDrop: false, clockTrusted: true, safeState: 'closed', expected: { state: 'open', reason: 'window-open' } },
    { categoryOpen: false, lateDrop: false, clockTrusted: true, safeState: 'open', expected: { state: 'closed', reason: 'window-closed' } },
    { categoryOpen: false, lateDrop: true, clockTrusted: true, safeState: 'closed', expected: { state: 'open', reason: 'late-drop-point' } },
    { categoryOpen: false, lateDrop: false, clockTrusted: false, safeState: 'open', expected: { state: 'open', reason: 'clock-untrusted' } },
    { categoryOpen: true, lateDrop: true, clockTrusted: false, safeState: 'closed', expected: { state: 'closed', reason: 'clock-untrusted' } },
  ] as const)('open=$categoryOpen lateDrop=$lateDrop trusted=$clockTrusted safe=$safeState', ({ expected, ...input }) => {
    expect(desiredLid(input)).toEqual(expected);
  });

  it.each([
    { name: 'first command', lastCommanded: undefined, lastSentAt: undefined, reported: undefined, now: 0, expected: true },
    { name: 'wanted state changed', lastCommanded: 'closed', lastSentAt: 100, reported: 'closed', now: 101, expected: true },
    { name: 'lid agrees', lastCommanded: 'open', lastSentAt: 0, reported: 'open', now: 1e9, expected: false },
    { name: 'lid disagrees, too soon to resend', lastCommanded: 'open', lastSentAt: 0, reported: 'closed', now: 29_999, expected: false },
    { name: 'lid disagrees, resend', lastCommanded: 'open', lastSentAt: 0, reported: 'closed', now: 30_000, expected: true },
    { name: 'no report yet, resend after the interval', lastCommanded: 'open', lastSentAt: 0, reported: undefined, now: 30_000, expected: true },
  ] as const)('$name → $expected', ({ expected, name: _name, ...o }) => {
    expect(lidNeedsCommand({ desired: 'open', resendMs: 30_000, ...o })).toBe(expected);
  });
});

describe('missed pickups', () => {
  it.each([
    { pickupsInSlot: 1, fullestFill: 90, expected: 'collected' },
    { pickupsInSlot: 0, fullestFill: 60, expected: 'missed' },
    { pickupsInSlot: 0, fullestFill: 15, expected: 'missed' },
    { pickupsInSlot: 0, fullestFill: 14.9, expected: 'nothing-to-collect' },
    { pickupsInSlot: 0, fullestFill: null, expected: 'nothing-to-collect' },
  ])('$pickupsInSlot pickups, fullest $fullestFill % → $expected', ({ expected, ...o }) => {
    expect(slotOutcome({ ...o, minFillPercent: 15 })).toBe(expected);
  });

  const T = Date.UTC(2026, 10, 28, 2, 0);
  it('checks the time since the last check, with a trusted clock', () => {
    expect(slotCheckRange({ lastCheckedUntil: T - 60_000, now: T, clockTrusted: true })).toEqual({ check: true, from: T - 60_000, to: T });
  });
  it('never judges slots while the clock is untrusted, and does not move the mark', () => {
    expect(slotCheckRange({ lastCheckedUntil: T - 60_000, now: T, clockTrusted: false })).toEqual({ check: false, advanceTo: undefined });
  });
  it.each([
    { name: 'first start', last: undefined },
    { name: 'switched off for a day', last: T - MAX_LOOKBACK_MS - 1 },
    { name: 'clock went back (the mark is in the future)', last: T + 1000 },
    { name: 'clock jumped from 1970', last: 0 },
  ])('$name: no look back, the mark moves to now', ({ last }) => {
    expect(slotCheckRange({ lastCheckedUntil: last, now: T, clockTrusted: true })).toEqual({ check: false, advanceTo: T });
  });
});
