import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_SPECS } from '../../../src/config/schema.js';
import { quietTimeAt, type QuietTime } from '../../../src/garden/quiet-times.js';
import { decideWatering, type WateringInput, type WateringRules } from '../../../src/garden/watering-decision.js';
import { localParts } from '../../../src/waste/local-time.js';
import { at, calendar, MIN } from '../waste/fixtures.js';

/**
 * The watering decision's promises, hunted with random inputs (EXAMPLES.md §7), then a few readable
 * examples. "Auto" below means: no override in force.
 */
const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${pad(h)}:${pad(m)}`);
const quietTime: fc.Arbitrary<QuietTime> = fc.record({
  from: hhmm,
  to: hhmm,
  days: fc.option(fc.uniqueArray(fc.constantFrom(...DAY_SPECS), { minLength: 1, maxLength: 3 }), { nil: undefined }),
});
const DEFAULTS: WateringRules = {
  lowPercent: 30,
  highPercent: 45,
  wetPercent: 75,
  hysteresisPercent: 3,
  maxRunMinutes: 15,
  minIntervalMinutes: 120,
  quietTimes: [],
  stuckAfterMinutes: 10,
  stuckRisePercent: 2,
  overrideMaxMinutes: 60,
  probeStaleMinutes: 30,
};
const rulesArb: fc.Arbitrary<WateringRules> = fc.record({
  maxRunMinutes: fc.double({ min: 0.1, max: 120, noNaN: true }),
  minIntervalMinutes: fc.double({ min: 0, max: 600, noNaN: true }),
  quietTimes: fc.array(quietTime, { maxLength: 3 }),
}).map((r) => ({ ...DEFAULTS, ...r }));

const NOW_MIN = at('2026-01-01', '00:00');
const NOW_MAX = at('2026-12-31', '23:59');
const H = 60 * MIN;
const reasons = fc.constantFrom('dry', 'high-reached', 'max-run', 'min-interval', 'quiet-time', 'raining', 'override', 'valve-stuck', 'service-stopped');

const inputArb: fc.Arbitrary<WateringInput> = fc
  .record({
    now: fc.integer({ min: NOW_MIN, max: NOW_MAX }),
    hasValve: fc.boolean(),
    moisture: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }),
    low: fc.double({ min: 5, max: 60, noNaN: true }),
    gap: fc.double({ min: 0.5, max: 30, noNaN: true }),
    run: fc.option(fc.record({ ago: fc.integer({ min: 0, max: 5 * H }), byOverride: fc.boolean() }), { nil: null }),
    lastRun: fc.option(fc.record({ ago: fc.integer({ min: -H, max: 12 * H }), endReason: reasons }), { nil: null }),
    override: fc.option(fc.record({ state: fc.constantFrom('on' as const, 'off' as const), setAgo: fc.integer({ min: 0, max: 3 * H }), length: fc.integer({ min: 1, max: 3 * H }) }), { nil: null }),
    raining: fc.boolean(),
    valveBlocked: fc.boolean(),
  })
  .map((r) => ({
    now: r.now,
    hasValve: r.hasValve,
    moisture: r.moisture,
    marks: { low: r.low, high: r.low + r.gap },
    run: r.run ? { startedAt: r.now - r.run.ago, byOverride: r.run.byOverride } : null,
    lastRun: r.lastRun ? { endedAt: r.now - r.lastRun.ago, endReason: r.lastRun.endReason } : null,
    override: r.override ? { state: r.override.state, setAt: r.now - r.override.setAgo, until: r.now - r.override.setAgo + r.override.length } : null,
    raining: r.raining,
    valveBlocked: r.valveBlocked,
  }));

const autoInputArb = inputArb.map((i) => ({ ...i, override: null }));
const RUNS = { numRuns: 3000 };
const decide = (i: WateringInput, rules: WateringRules) => decideWatering(i, { rules, calendar });

describe('watering decision: properties', () => {
  it('auto: never on in a quiet time, while raining, without a trusted probe or with a stuck valve', () => {
    fc.assert(
      fc.property(autoInputArb, rulesArb, (i, rules) => {
        const d = decide(i, rules);
        if (quietTimeAt(rules.quietTimes, i.now, calendar) || i.raining || i.moisture === null || i.valveBlocked) expect(d.on).toBe(false);
        expect(d.mode).toBe('auto');
      }),
      RUNS,
    );
  });

  it('auto: never on inside a quiet time built around now (its own day, a weekday or the kind of day)', () => {
    fc.assert(
      fc.property(autoInputArb, rulesArb, fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 600 }), fc.constantFrom('weekday', 'daytype', 'none'), (i, rules, before, after, how) => {
        const p = localParts(i.now, calendar.tz);
        const from = Math.max(0, p.minutes - before);
        const to = Math.min(1439, p.minutes + after);
        if (to <= p.minutes) return; // 23:59 has no later minute on the same day
        const days = how === 'weekday' ? [p.weekday] : how === 'daytype' ? [calendar.dayType(p.date)] : undefined;
        const q: QuietTime = { from: `${pad(Math.floor(from / 60))}:${pad(from % 60)}`, to: `${pad(Math.floor(to / 60))}:${pad(to % 60)}`, days };
        expect(decide(i, { ...rules, quietTimes: [q] }).on).toBe(false);
      }),
      RUNS,
    );
  });

  it('any mode: never on once a run has lasted maxRunMinutes, override or not', () => {
    fc.assert(
      fc.property(inputArb, rulesArb, (i, rules) => {
        if (i.run && i.now - i.run.startedAt >= rules.maxRunMinutes * MIN) expect(decide(i, rules).on).toBe(false);
      }),
      RUNS,
    );
  });

  it('auto: never starts within minIntervalMinutes of the last run’s end', () => {
    fc.assert(
      fc.property(autoInputArb, rulesArb, (i, rules) => {
        const off = { ...i, run: null };
        if (off.lastRun && off.now - off.lastRun.endedAt < rules.minIntervalMinutes * MIN) expect(decide(off, rules).on).toBe(false);
      }),
      RUNS,
    );
  });

  it('auto: never starts at or above the low mark; always stops at or above the high mark', () => {
    fc.assert(
      fc.property(autoInputArb, rulesArb, (i, rules) => {
        if (i.moisture === null) return;
        if (i.moisture >= i.marks.low) expect(decide({ ...i, run: null }, rules).on).toBe(false);
        if (i.moisture >= i.marks.high && i.run) expect(decide(i, rules)).toMatchObject({ on: false });
      }),
      RUNS,
    );
  });

  it('an override never outlives its end: from then on the decision is the automatic one, and its run ends', () => {
    fc.assert(
      fc.property(inputArb, rulesArb, fc.integer({ min: 0, max: 3 * H }), (i, rules, pastEnd) => {
        if (!i.override) return;
        const later = { ...i, now: i.override.until + pastEnd };
        const d = decide(later, rules);
        expect(d).toEqual(decide({ ...later, override: null }, rules));
        expect(d.mode).toBe('auto');
        if (later.run?.byOverride) expect(d.on).toBe(false);
      }),
      RUNS,
    );
  });

  it('a forgotten override-on waters once, for at most maxRunMinutes (stepped minute by minute as the module does)', () => {
    fc.assert(
      fc.property(rulesArb, fc.integer({ min: NOW_MIN, max: NOW_MAX }), fc.integer({ min: 1, max: 3 * H }), fc.double({ min: 0, max: 100, noNaN: true }), (rules, setAt, length, moisture) => {
        const state: WateringInput = { now: setAt, hasValve: true, moisture, marks: { low: 30, high: 45 }, run: null, lastRun: null, override: { state: 'on', setAt, until: setAt + length }, raining: false, valveBlocked: false };
        let onMs = 0;
        let runs = 0;
        for (let t = setAt; t < setAt + length; t += MIN) {
          const d = decide({ ...state, now: t }, rules);
          if (d.on && !state.run) (state.run = { startedAt: t, byOverride: true }), runs++;
          if (!d.on && state.run) (state.lastRun = { endedAt: t, endReason: d.reason }), (state.run = null);
          if (d.on) onMs += MIN;
        }
        expect(runs).toBe(1);
        expect(onMs).toBeLessThanOrEqual(Math.ceil(rules.maxRunMinutes) * MIN);
      }),
      { numRuns: 300 },
    );
  });
});

describe('watering decision: examples', () => {
  const saturday10 = at('2026-11-28', '10:00');
  const base: WateringInput = { now: at('2026-11-30', '10:00'), hasValve: true, moisture: 25, marks: { low: 30, high: 45 }, run: null, lastRun: null, override: null, raining: false, valveBlocked: false };
  const rules = { ...DEFAULTS, quietTimes: [{ from: '09:00', to: '11:30', days: ['sat' as const] }] };
  it.each([
    { name: 'dry bed starts', i: base, expected: { on: true, reason: 'dry', mode: 'auto' } },
    { name: 'no valve', i: { ...base, hasValve: false }, expected: { on: false, reason: 'no-valve', mode: 'auto' } },
    { name: 'ok bed stays off', i: { ...base, moisture: 30 }, expected: { on: false, reason: 'ok', mode: 'auto' } },
    { name: 'a run goes on between the marks', i: { ...base, moisture: 40, run: { startedAt: base.now - 5 * MIN, byOverride: false } }, expected: { on: true, reason: 'dry', mode: 'auto' } },
    { name: 'high mark reached', i: { ...base, moisture: 45, run: { startedAt: base.now - 5 * MIN, byOverride: false } }, expected: { on: false, reason: 'high-reached', mode: 'auto' } },
    { name: 'max run', i: { ...base, run: { startedAt: base.now - 15 * MIN, byOverride: false } }, expected: { on: false, reason: 'max-run', mode: 'auto' } },
    { name: 'min interval', i: { ...base, lastRun: { endedAt: base.now - 119 * MIN, endReason: 'max-run' } }, expected: { on: false, reason: 'min-interval', mode: 'auto' } },
    { name: 'min interval over', i: { ...base, lastRun: { endedAt: base.now - 120 * MIN, endReason: 'max-run' } }, expected: { on: true, reason: 'dry', mode: 'auto' } },
    { name: 'Saturday class', i: { ...base, now: saturday10 }, expected: { on: false, reason: 'quiet-time', mode: 'auto' } },
    { name: 'raining', i: { ...base, raining: true }, expected: { on: false, reason: 'raining', mode: 'auto' } },
    { name: 'no trusted probe', i: { ...base, moisture: null }, expected: { on: false, reason: 'no-trusted-probe', mode: 'auto' } },
    { name: 'stuck valve', i: { ...base, valveBlocked: true }, expected: { on: false, reason: 'valve-stuck', mode: 'auto' } },
    { name: 'override on in a quiet time, wet bed, stuck valve', i: { ...base, now: saturday10, moisture: 90, valveBlocked: true, override: { state: 'on' as const, setAt: saturday10, until: saturday10 + H } }, expected: { on: true, reason: 'override', mode: 'override-on' } },
    { name: 'override on cut at max run', i: { ...base, run: { startedAt: base.now - 15 * MIN, byOverride: true }, override: { state: 'on' as const, setAt: base.now - 15 * MIN, until: base.now + H } }, expected: { on: false, reason: 'max-run', mode: 'override-on' } },
    { name: '…and not restarted', i: { ...base, lastRun: { endedAt: base.now - MIN, endReason: 'max-run' }, override: { state: 'on' as const, setAt: base.now - 16 * MIN, until: base.now + H } }, expected: { on: false, reason: 'max-run', mode: 'override-on' } },
    { name: 'override off on a dry bed', i: { ...base, override: { state: 'off' as const, setAt: base.now, until: base.now + H } }, expected: { on: false, reason: 'override', mode: 'override-off' } },
    { name: 'the override ended: its run ends', i: { ...base, run: { startedAt: base.now - 5 * MIN, byOverride: true }, override: { state: 'on' as const, setAt: base.now - 5 * MIN, until: base.now } }, expected: { on: false, reason: 'override', mode: 'auto' } },
  ])('$name', ({ i, expected }) => {
    expect(decide(i, rules)).toEqual(expected);
  });
});
