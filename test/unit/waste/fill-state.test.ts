import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  detectPickup,
  FILL_LEVELS,
  fillConfigFrom,
  initialFillState,
  levelFor,
  levelRank,
  stepFill,
  type FillConfig,
  type FillLevel,
  type FillState,
  type FillStep,
} from '../../../src/waste/fill-state.js';

const CFG = fillConfigFrom({ warnPercent: 75, fullPercent: 90, overflowPercent: 100, hysteresisPercent: 5, minDurationSeconds: 60, medianOf: 3 });
const RAW: FillConfig = { ...CFG, medianOf: 1 }; // no filter: isolates thresholds and durations
const PICKUP = { dropPercent: 30, emptyBelowPercent: 25 };
// Hundredths as integers: fc.double spreads over the float bit patterns, so it mostly picks values near 0.
const pct = (min: number, max: number) => fc.integer({ min: min * 100, max: max * 100 }).map((n) => n / 100);

/** Feeds [value, seconds] readings; returns every step. */
function run(readings: [number, number][], cfg: FillConfig = CFG, from: FillState = initialFillState()): FillStep[] {
  const steps: FillStep[] = [];
  let state = from;
  for (const [value, s] of readings) {
    const step = stepFill(state, { value, at: s * 1000 }, cfg, PICKUP);
    steps.push(step);
    state = step.state;
  }
  return steps;
}
const last = (steps: FillStep[]): FillStep => steps.at(-1)!;

describe('fillConfigFrom', () => {
  it('converts the minimum duration to ms and keeps the rest', () => {
    expect(CFG).toEqual({ warnPercent: 75, fullPercent: 90, overflowPercent: 100, hysteresisPercent: 5, minDurationMs: 60_000, medianOf: 3 });
  });
});

describe('levelFor: thresholds with hysteresis', () => {
  it.each<[number, FillLevel, FillLevel]>([
    [74.99, 'ok', 'ok'],
    [75, 'ok', 'warn'], // exactly at the threshold: entered
    [70, 'warn', 'warn'], // exactly threshold − hysteresis: kept
    [69.99, 'warn', 'ok'],
    [89.99, 'warn', 'warn'],
    [90, 'warn', 'full'],
    [85, 'full', 'full'],
    [84.99, 'full', 'warn'],
    [72, 'full', 'warn'], // falls to the highest level it may keep, not straight to ok
    [69.99, 'full', 'ok'],
    [100, 'ok', 'overflow'], // a jump goes straight to the level reached
    [95, 'overflow', 'overflow'],
    [94.99, 'overflow', 'full'],
    [120, 'ok', 'overflow'],
    [0, 'overflow', 'ok'],
  ])('%d while %s → %s', (value, current, expected) => {
    expect(levelFor(value, current, CFG)).toBe(expected);
  });

  it('a constant value never flips the level back (idempotent)', () => {
    fc.assert(
      fc.property(pct(-10, 130), fc.constantFrom(...FILL_LEVELS), (v, current) => {
        const once = levelFor(v, current, CFG);
        expect(levelFor(v, once, CFG)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('a higher value never gives a lower level', () => {
    fc.assert(
      fc.property(pct(-10, 130), pct(-10, 130), fc.constantFrom(...FILL_LEVELS), (a, b, current) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(levelRank(levelFor(lo, current, CFG))).toBeLessThanOrEqual(levelRank(levelFor(hi, current, CFG)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('minimum duration', () => {
  it.each([
    { held: 59, expected: 'ok' },
    { held: 60, expected: 'warn' },
  ])('a rise held $held s with a 60 s minimum → $expected', ({ held, expected }) => {
    const steps = run([[50, 0], [80, 10], [80, 10 + held]], RAW);
    expect(last(steps).state.level).toBe(expected);
    expect(last(steps).levelChanged).toEqual(expected === 'ok' ? null : { from: 'ok', to: 'warn' });
  });

  it.each([
    { held: 59, expected: 'warn' },
    { held: 60, expected: 'ok' },
  ])('a fall held $held s with a 60 s minimum → $expected', ({ held, expected }) => {
    const steps = run([[80, 0], [80, 60], [60, 100], [60, 100 + held]], RAW);
    expect(steps[1]!.state.level).toBe('warn');
    expect(last(steps).state.level).toBe(expected);
  });

  it('a rise that does not last is forgotten: the clock starts again', () => {
    const steps = run([[50, 0], [80, 10], [50, 40], [80, 50], [80, 100]], RAW);
    expect(steps[2]!.state.pending).toBeNull();
    expect(last(steps).state).toMatchObject({ level: 'ok', pending: { level: 'warn', since: 50_000 } });
  });

  it('readings hovering at 89/91 % take an ok bin to warn, not nowhere', () => {
    const steps = run([[50, 0], [91, 10], [89, 40], [91, 70], [89, 100], [91, 130]], RAW);
    expect(steps.map((s) => s.state.level)).toEqual(['ok', 'ok', 'ok', 'warn', 'warn', 'warn']);
  });

  it('a jump from ok to full goes to full, without passing warn', () => {
    const steps = run([[50, 0], [95, 10], [95, 70]], RAW);
    expect(steps.map((s) => s.levelChanged)).toEqual([null, null, { from: 'ok', to: 'full' }]);
  });

  it('with no minimum duration the level changes on the reading', () => {
    expect(last(run([[50, 0], [80, 10]], { ...RAW, minDurationMs: 0 })).state.level).toBe('warn');
  });
});

describe('median filter', () => {
  it('is not trusted until the window is full', () => {
    expect(run([[95, 0], [95, 30], [95, 60]]).map((s) => s.state.filtered)).toEqual([null, null, 95]);
  });

  it.each([118, 400 / 4, 2, 0, 120])('one spike of %d never moves the filtered value', (spike) => {
    const steps = run([[50, 0], [50, 30], [50, 60], [spike, 90], [50, 120], [50, 150]]);
    expect(steps.slice(2).map((s) => s.state.filtered)).toEqual([50, 50, 50, 50]);
    expect(steps.every((s) => s.pickup === null && s.state.level === 'ok')).toBe(true);
  });

  it('an even window averages the middle pair', () => {
    expect(last(run([[10, 0], [20, 1], [30, 2], [120, 3]], { ...CFG, medianOf: 4 })).state.filtered).toBe(25);
  });
});

describe('out-of-order and bad readings', () => {
  it('a reading older than the newest seen is ignored', () => {
    const [, second] = run([[50, 0], [50, 100]], RAW);
    const late = stepFill(second!.state, { value: 95, at: 50_000 }, RAW, PICKUP);
    expect(late).toEqual({ state: second!.state, levelChanged: null, pickup: null });
    expect(late.state).toBe(second!.state);
  });

  it('a reading at the same time as the newest is taken', () => {
    const [, second] = run([[50, 0], [60, 100]], RAW);
    expect(stepFill(second!.state, { value: 61, at: 100_000 }, RAW, PICKUP).state.filtered).toBe(61);
  });

  it('a NaN reading is ignored', () => {
    const s = initialFillState();
    expect(stepFill(s, { value: Number.NaN, at: 1 }, RAW, PICKUP).state).toBe(s);
  });
});

describe('pickups', () => {
  it.each<[number | null, number, boolean]>([
    [null, 5, false],
    [92, 5, true],
    [30, 0, true], // a fall of exactly dropPercent counts
    [55, 25, false], // must end below emptyBelowPercent
    [55, 24.9, true],
    [54, 24.9, false], // a fall of 29.1
  ])('peak %s → %d: pickup %s', (peak, now, expected) => {
    expect(detectPickup(peak, now, PICKUP)).toBe(expected);
  });

  it('from 92 % to 5 % is detected and resets the level to ok at once', () => {
    const steps = run([[92, 0], [92, 30], [92, 60], [92, 130], [5, 160], [5, 190], [5, 220]]);
    expect(steps[3]!.state.level).toBe('full');
    expect(steps[4]!.pickup).toBeNull(); // one low reading is a spike for all we know
    expect(steps[5]).toMatchObject({
      pickup: { before: 92, after: 5, at: 190_000 },
      levelChanged: { from: 'full', to: 'ok' },
      state: { level: 'ok', levelSince: 190_000, emptiedAt: 190_000, pending: null },
    });
    expect(steps[6]!.pickup).toBeNull(); // measured from the new low: not detected twice
  });

  it('a slow decline (compaction from 80 to 65) is not a pickup', () => {
    const readings: [number, number][] = [[80, -120], [80, -60]];
    for (let i = 0; i <= 30; i++) readings.push([80 - i / 2, i * 60]);
    const steps = run(readings);
    expect(steps.every((s) => s.pickup === null)).toBe(true);
    expect(last(steps).state).toMatchObject({ level: 'ok', emptiedAt: null, peak: 80 });
    expect(steps.some((s) => s.state.level === 'warn')).toBe(true);
  });

  it('a spike on each side of a pickup does not count it twice', () => {
    // The window after the pickup (40, 3, 110) has a high median made of a pre-pickup reading.
    const steps = run([[40, 0], [40, 30], [40, 60], [0, 90], [40, 120], [3, 150], [110, 180], [3, 210], [4, 240]]);
    expect(steps.map((s) => (s.pickup ? s.pickup.at / 1000 : null)).filter((at) => at !== null)).toEqual([150]);
  });

  it('a stored state without a peak (an older build) still learns one', () => {
    const { peak: _, ...old } = last(run([[80, 0], [80, 30], [80, 60]])).state;
    expect(last(run([[80, 90], [3, 120], [3, 150]], CFG, old as FillState)).pickup).toMatchObject({ before: 80, after: 3 });
  });

  it('a pickup of a bin that was only ok is still reported', () => {
    const steps = run([[60, 0], [60, 30], [60, 60], [3, 90], [3, 120]]);
    expect(last(steps)).toMatchObject({ pickup: { before: 60, after: 3 }, levelChanged: null });
  });
});
