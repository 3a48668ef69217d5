import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../../src/sensors/calibrate.js';
import { toRaw } from '../../../src/sim/models.js';

const soil = { calibration: { raw: [560, 250] as [number, number], value: [0, 100] as [number, number] }, clamp: { min: 0, max: 100 } };

describe('two-point calibration', () => {
  it.each([
    [560, 0],
    [250, 100],
    [405, 50],
    [343, 70],
    [700, 0], // drier than air: clamped
    [100, 100], // wetter than water: clamped
  ])('soil probe raw %d → %d %%', (raw, expected) => {
    expect(calibrate(raw, soil)).toBe(expected);
  });

  it('without calibration the raw value is the value', () => {
    expect(calibrate(12.345, {})).toBe(12.35);
  });

  it('is the inverse of the simulator’s toRaw inside the clamp', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), (v) => {
        expect(Math.abs(calibrate(toRaw(v, soil), soil) - v)).toBeLessThanOrEqual(0.005 + 1e-9);
      }),
    );
  });

  it('is monotonic for any calibration with distinct raw points', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 }), fc.double({ min: -2000, max: 2000, noNaN: true }), fc.double({ min: -2000, max: 2000, noNaN: true }), (r0, r1, a, b) => {
        fc.pre(r0 !== r1);
        const cal = { calibration: { raw: [r0, r1] as [number, number], value: [0, 100] as [number, number] } };
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const rising = r1 > r0;
        const d = calibrate(hi, cal) - calibrate(lo, cal);
        expect(rising ? d >= -0.01 : d <= 0.01).toBe(true);
      }),
    );
  });
});
