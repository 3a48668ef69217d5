import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextLevel, type GardenLevel } from '../../../src/garden/levels.js';

const marks = { low: 30, wet: 75, hysteresis: 3 };

describe('bed levels', () => {
  it.each([
    { prev: 'unknown', moisture: null, expected: 'unknown' },
    { prev: 'ok', moisture: null, expected: 'unknown' },
    { prev: 'unknown', moisture: 29.9, expected: 'dry' },
    { prev: 'unknown', moisture: 30, expected: 'ok' },
    { prev: 'unknown', moisture: 75, expected: 'ok' },
    { prev: 'unknown', moisture: 75.1, expected: 'wet' },
    { prev: 'ok', moisture: 29, expected: 'dry' },
    { prev: 'dry', moisture: 32.9, expected: 'dry' }, // inside the band: stays dry
    { prev: 'dry', moisture: 33, expected: 'ok' },
    { prev: 'wet', moisture: 72.1, expected: 'wet' },
    { prev: 'wet', moisture: 72, expected: 'ok' },
    { prev: 'dry', moisture: 80, expected: 'wet' }, // a downpour
    { prev: 'wet', moisture: 10, expected: 'dry' },
  ] as { prev: GardenLevel; moisture: number | null; expected: GardenLevel }[])('$prev at $moisture % → $expected', ({ prev, moisture, expected }) => {
    expect(nextLevel(prev, moisture, marks)).toBe(expected);
  });

  it('no flapping: moisture moving inside a band narrower than the hysteresis changes the level at most once', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 60 }),
        fc.constantFrom<GardenLevel>('unknown', 'dry', 'ok', 'wet'),
        (hysteresis, bandStart, positions, start) => {
          const m = { low: 30, wet: 75, hysteresis };
          let level = start;
          const seen: GardenLevel[] = [];
          for (const p of positions) {
            // 0.99: a band exactly as wide would put the two ends on either mark, which is a real change.
            level = nextLevel(level, bandStart + p * hysteresis * 0.99, m);
            seen.push(level);
          }
          const changes = seen.slice(1).filter((l, i) => l !== seen[i]).length;
          expect(changes).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
