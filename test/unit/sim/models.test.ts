import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropRatePerHour, localHour, SOIL_SATURATION, stepBin, stepLounge, stepSoil, ultrasonicGlitch } from '../../../src/sim/models.js';
import { seededRng } from '../../../src/sim/random.js';

const MIN = 60_000;

describe('simulator models', () => {
  it('local hour is Shanghai time (UTC+8) across midnight', () => {
    expect(localHour(Date.UTC(2026, 10, 28, 15, 30))).toBeCloseTo(23.5);
    expect(localHour(Date.UTC(2026, 10, 28, 16, 30))).toBeCloseTo(0.5);
  });

  it('soil dries over a day and jumps when watered', () => {
    const rng = seededRng(1);
    let s = { moisture: 60 };
    for (let i = 0; i < 24 * 12; i++) s = stepSoil(s, (i / 12) % 24, 5 * MIN, false, rng);
    expect(s.moisture).toBeLessThan(40);
    const watered = stepSoil(s, 9, 5 * MIN, true, rng);
    expect(watered.moisture - s.moisture).toBeGreaterThan(25);
  });

  it('an open valve wets the soil steadily up to saturation; closed again, the soil dries', () => {
    const rng = seededRng(4);
    let s = { moisture: 28 };
    for (let i = 0; i < 15; i++) s = stepSoil(s, 9, MIN, false, rng, true); // a 15-minute run
    expect(s.moisture).toBeGreaterThan(28 + 12);
    expect(s.moisture).toBeLessThan(28 + 26);
    for (let i = 0; i < 600; i++) s = stepSoil(s, 9, MIN, false, rng, true);
    expect(s.moisture).toBeLessThanOrEqual(SOIL_SATURATION);
    expect(s.moisture).toBeGreaterThan(SOIL_SATURATION - 1);
    const closed = stepSoil(s, 12, 10 * MIN, false, rng, false);
    expect(closed.moisture).toBeLessThan(s.moisture);
  });

  it('bins fill fastest in the drop-off windows and empty at pickup', () => {
    expect(dropRatePerHour(7)).toBeGreaterThan(dropRatePerHour(12));
    expect(dropRatePerHour(12)).toBeGreaterThan(dropRatePerHour(3));
    const rng = seededRng(2);
    let b = { fill: 5 };
    for (let i = 0; i < 24; i++) b = stepBin(b, 6.5 + i / 12, 5 * MIN, false, rng); // 06:30–08:30
    expect(b.fill).toBeGreaterThan(20);
    expect(stepBin(b, 9, 5 * MIN, true, rng).fill).toBeLessThan(6);
  });

  it('ultrasonic glitches are rare and far from real readings', () => {
    const rng = seededRng(3);
    const glitches = Array.from({ length: 10_000 }, () => ultrasonicGlitch(rng)).filter((g) => g !== undefined) as number[];
    expect(glitches.length).toBeGreaterThan(100);
    expect(glitches.length).toBeLessThan(400);
    expect(glitches.every((g) => g < 8 || g > 250)).toBe(true);
  });

  it('the lounge never has fewer than zero people, and is empty after closing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 30 }), fc.array(fc.double({ min: 0, max: 24, noNaN: true }), { minLength: 1, maxLength: 200 }), (seed, hours) => {
        const rng = seededRng(seed);
        let s = { inside: 0 };
        for (const h of hours) {
          const step = stepLounge(s, h, 5 * MIN, { open: 8.5, close: 20.5, events: [10, 14.5, 19] }, rng);
          expect(step.left).toBeLessThanOrEqual(s.inside);
          expect(step.state.inside).toBeGreaterThanOrEqual(0);
          s = step.state;
        }
        const closed = stepLounge(s, 21, 5 * MIN, { open: 8.5, close: 20.5, events: [] }, rng);
        expect(closed.arrived).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
