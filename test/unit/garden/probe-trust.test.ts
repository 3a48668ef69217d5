import { describe, expect, it } from 'vitest';
import { bedMoisture, median } from '../../../src/garden/bed-moisture.js';
import { isProbeOwnFault, probeStatus, type ProbeStatus } from '../../../src/garden/probe-trust.js';

const NOW = Date.UTC(2026, 10, 30, 2, 0);
const MIN = 60_000;
const range = { min: 150, max: 700 };
const base = { validRange: range, deviceOnline: true, now: NOW, staleMs: 30 * MIN };

describe('probe trust', () => {
  it.each([
    { name: 'a fresh reading in range', reading: { raw: 405, value: 50, at: NOW - MIN }, expected: { value: 50, trusted: true } },
    { name: 'exactly at the edge of the range', reading: { raw: 150, value: 100, at: NOW }, expected: { value: 100, trusted: true } },
    { name: 'raw above the range (probe out of the soil)', reading: { raw: 1023, value: 0, at: NOW }, expected: { value: 0, trusted: false, fault: 'impossible-value' } },
    { name: 'raw below the range (shorted)', reading: { raw: 3, value: 100, at: NOW }, expected: { value: 100, trusted: false, fault: 'impossible-value' } },
    { name: 'just stale', reading: { raw: 405, value: 50, at: NOW - 30 * MIN - 1 }, expected: { value: 50, trusted: false, fault: 'stale' } },
    { name: 'not yet stale', reading: { raw: 405, value: 50, at: NOW - 30 * MIN }, expected: { value: 50, trusted: true } },
    { name: 'never reported', reading: undefined, expected: { value: null, trusted: false, fault: 'no-reading' } },
  ])('$name', ({ reading, expected }) => {
    expect(probeStatus({ ...base, reading })).toEqual(expected);
  });

  it('a probe whose device is offline is not trusted, whatever its value', () => {
    expect(probeStatus({ ...base, deviceOnline: false, reading: { raw: 405, value: 50, at: NOW } })).toEqual({ value: 50, trusted: false, fault: 'device-offline' });
  });

  it('without a valid range, any raw value is possible', () => {
    expect(probeStatus({ ...base, validRange: undefined, reading: { raw: 5000, value: 0, at: NOW } }).trusted).toBe(true);
  });

  it('only the probe’s own faults are worth a probe-faulty alert', () => {
    expect(['impossible-value', 'stale', 'device-offline', 'no-reading', undefined].map((f) => isProbeOwnFault(f as never))).toEqual([true, true, false, false, false]);
  });
});

describe('bed moisture', () => {
  const t = (value: number): ProbeStatus => ({ value, trusted: true });
  const bad = (value: number | null, fault: ProbeStatus['fault']): ProbeStatus => ({ value, trusted: false, fault });
  it.each([
    { name: 'one trusted probe', probes: { a: t(40) }, expected: 40 },
    { name: 'two: their mean', probes: { a: t(40), b: t(50) }, expected: 45 },
    { name: 'three: the middle one, a wet outlier has no say', probes: { a: t(40), b: t(42), c: t(95) }, expected: 42 },
    { name: 'an impossible value is excluded', probes: { a: t(40), b: bad(100, 'impossible-value') }, expected: 40 },
    { name: 'stale and offline probes are excluded', probes: { a: bad(10, 'stale'), b: t(33), c: bad(90, 'device-offline') }, expected: 33 },
    { name: 'no trusted probe: unknown', probes: { a: bad(100, 'impossible-value'), b: bad(null, 'no-reading') }, expected: null },
    { name: 'no probes at all', probes: {}, expected: null },
  ])('$name → $expected', ({ probes, expected }) => {
    expect(bedMoisture(probes)).toBe(expected);
  });

  it('median of an even count is the mean of the middle two, unsorted input', () => {
    expect(median([9, 1, 5, 3])).toBe(4);
    expect(median([])).toBeNull();
  });
});
