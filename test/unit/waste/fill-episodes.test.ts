import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialEpisodes, stepEpisodes, type EpisodeState, type FillAlertKind } from '../../../src/waste/fill-episodes.js';
import { fillConfigFrom, initialFillState, stepFill, type FillLevel, type FillStep } from '../../../src/waste/fill-state.js';

const CFG = fillConfigFrom({ warnPercent: 75, fullPercent: 90, overflowPercent: 100, hysteresisPercent: 5, minDurationSeconds: 60, medianOf: 3 });
const PICKUP = { dropPercent: 30, emptyBelowPercent: 25 };
const MIN = 60_000;
const INTERVAL = 30 * MIN;
// Hundredths as integers: fc.double spreads over the float bit patterns (mostly near 0), and a
// failing 400-reading trace of doubles takes minutes to shrink.
const pct = (min: number, max: number) => fc.integer({ min: min * 100, max: max * 100 }).map((n) => n / 100);

/** A fill step as stepFill would return it, with only what stepEpisodes reads filled in. */
const change = (from: FillLevel, to: FillLevel): FillStep => ({ state: initialFillState(), levelChanged: { from, to }, pickup: null });
const emptied = (from: FillLevel): FillStep => ({
  state: initialFillState(),
  levelChanged: from === 'ok' ? null : { from, to: 'ok' },
  pickup: { before: 92, after: 5, at: 0 },
});
const quiet: FillStep = { state: initialFillState(), levelChanged: null, pickup: null };

/** Feeds [step, minutes] pairs; returns raise/resolve per step and the final episodes. */
function play(steps: [FillStep, number][], from: EpisodeState = initialEpisodes()) {
  let ep = from;
  const out: { raise: FillAlertKind[]; resolve: FillAlertKind[] }[] = [];
  for (const [step, minutes] of steps) {
    const r = stepEpisodes(ep, step, minutes * MIN, INTERVAL);
    out.push({ raise: r.raise, resolve: r.resolve });
    ep = r.ep;
  }
  return { out, ep };
}

describe('fill alert episodes', () => {
  it.each<[FillLevel, FillLevel, FillAlertKind[]]>([
    ['ok', 'warn', ['bin-warn']],
    ['ok', 'full', ['bin-full']], // not also bin-warn
    ['ok', 'overflow', ['bin-overflow']],
    ['warn', 'full', ['bin-full']],
    ['full', 'overflow', ['bin-overflow']],
  ])('rising %s → %s raises %j alone', (from, to, kinds) => {
    const { out, ep } = play([[change(from, to), 0]]);
    expect(out[0]).toEqual({ raise: kinds, resolve: [] });
    expect(ep.open).toEqual({ [kinds[0]!]: { raisedAt: 0 } });
  });

  it('a rise keeps the lower episode open; a pickup resolves every open one', () => {
    const { out, ep } = play([[change('ok', 'warn'), 0], [change('warn', 'full'), 20], [emptied('full'), 40]]);
    expect(out.map((o) => o.raise)).toEqual([['bin-warn'], ['bin-full'], []]);
    expect(out[2]!.resolve).toEqual(['bin-warn', 'bin-full']);
    expect(ep).toEqual(initialEpisodes());
  });

  it('a fall without a pickup closes the episodes above it quietly, and the interval still holds', () => {
    const { out } = play([
      [change('ok', 'warn'), 0],
      [change('warn', 'full'), 5],
      [change('full', 'warn'), 10], // compacted
      [change('warn', 'full'), 34], // 29 min after bin-full: blocked
      [change('full', 'ok'), 40],
      [change('ok', 'full'), 36 + 30], // 31 min after: a new episode
    ]);
    expect(out).toEqual([
      { raise: ['bin-warn'], resolve: [] },
      { raise: ['bin-full'], resolve: [] },
      { raise: [], resolve: ['bin-full'] },
      { raise: [], resolve: [] },
      { raise: [], resolve: ['bin-warn'] },
      { raise: ['bin-full'], resolve: [] },
    ]);
  });

  it('an interval of exactly minIntervalMs lets the kind be raised again', () => {
    const { out } = play([[change('ok', 'warn'), 0], [change('warn', 'ok'), 5], [change('ok', 'warn'), 30]]);
    expect(out[2]!.raise).toEqual(['bin-warn']);
  });

  it('an open episode of the kind is not raised twice', () => {
    const open: EpisodeState = { open: { 'bin-full': { raisedAt: 0 } }, lastRaised: { 'bin-full': 0 } };
    expect(play([[change('warn', 'full'), 120]], open).out[0]!.raise).toEqual([]);
  });

  it('after a pickup the next fill is a new problem, even within the interval', () => {
    const { out } = play([[change('ok', 'full'), 0], [emptied('full'), 10], [change('ok', 'full'), 20]]);
    expect(out.map((o) => o.raise)).toEqual([['bin-full'], [], ['bin-full']]);
  });

  it('falling to a level is not rising to it: ok → full → warn raises no bin-warn', () => {
    const { out } = play([[change('ok', 'full'), 0], [change('full', 'warn'), 10]]);
    expect(out).toEqual([{ raise: ['bin-full'], resolve: [] }, { raise: [], resolve: ['bin-full'] }]);
  });

  it('nothing changed: the same episodes object comes back', () => {
    const ep = play([[change('ok', 'warn'), 0]]).ep;
    expect(stepEpisodes(ep, quiet, MIN, INTERVAL).ep).toBe(ep);
    expect(stepEpisodes(ep, change('warn', 'full'), 5 * MIN, INTERVAL).ep).not.toBe(ep);
    expect(stepEpisodes(initialEpisodes(), change('warn', 'ok'), MIN, INTERVAL).ep).toEqual(initialEpisodes());
    const blocked = { ...ep, open: {} }; // closed quietly a minute ago, re-rising: blocked, nothing to record
    expect(stepEpisodes(blocked, change('ok', 'warn'), MIN, INTERVAL).ep).toBe(blocked);
    expect(stepEpisodes(initialEpisodes(), emptied('ok'), MIN, INTERVAL)).toMatchObject({ raise: [], resolve: [] });
  });
});

// ---- Noisy traces: the sensor and the alerts end to end -------------------------------------------

interface Trace {
  readings: { value: number; at: number }[];
  base: number[];
  /** Index of the first reading after each real pickup, and the base just before it. */
  pickups: { index: number; from: number }[];
}

const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 4, 11, 22); // 06:00 in Shanghai
const CAP = 112; // full bins stop rising here: well clear of every threshold's hysteresis band
const u = pct(-1, 1);
const tick = fc.record({
  gapS: fc.integer({ min: 30, max: 120 }),
  noise: fc.tuple(u, u, u).map(([a, b, c]) => a + b + c), // gaussian-ish, within ±3
  spike: fc.oneof(
    { arbitrary: fc.constant(null), weight: 12 },
    { arbitrary: pct(0, 5), weight: 1 },
    { arbitrary: pct(110, 120), weight: 1 },
  ),
  pickupTo: fc.oneof({ arbitrary: fc.constant(null), weight: 80 }, { arbitrary: pct(0, 5), weight: 1 }),
});

/**
 * The rise is at least 15 %/h: with ±3 % noise and 5 % hysteresis a level can flap only while the
 * base is within 6 % of a threshold, which this rate crosses (24 min at most) inside the 30 min alert interval.
 * (A bin parked right at a threshold may be re-alerted every interval: that is the design.)
 */
const traceArb = fc
  .record({
    startBase: pct(0, 40),
    ratePerHour: pct(15, 40),
    ticks: fc.array(tick, { minLength: 20, maxLength: 400, size: 'max' }), // a working day of readings, not just a few
  })
  .map(({ startBase, ratePerHour, ticks }): Trace => {
    const trace: Trace = { readings: [], base: [], pickups: [] };
    let at = T0;
    let base = startBase;
    let lastPickup = -Infinity;
    let lastSpike = -Infinity;
    ticks.forEach((t, i) => {
      at += i === 0 ? 0 : t.gapS * 1000;
      // Pickups are spaced so the median window never straddles two of them.
      if (t.pickupTo !== null && i >= 5 && i - lastPickup >= 6) {
        trace.pickups.push({ index: i, from: base });
        base = t.pickupTo;
        lastPickup = i;
      } else if (i > 0) base = Math.min(CAP, base + (ratePerHour * t.gapS * 1000) / HOUR);
      // "Single" means alone in the median window. Spikes two readings apart (S N S) do beat a median
      // of 3, and then "no false pickup" and "detected within medianOf readings" cannot both hold:
      // h l S l (a pickup, then a spike) reads the same as h S h S (two low spikes).
      const spike = i - lastSpike >= CFG.medianOf ? t.spike : null;
      if (spike !== null) lastSpike = i;
      trace.readings.push({ value: spike ?? Math.min(120, Math.max(0, base + t.noise)), at });
      trace.base.push(base);
    });
    return trace;
  });

interface Played {
  fill: FillStep;
  raise: FillAlertKind[];
  resolve: FillAlertKind[];
  ep: EpisodeState;
}
function playTrace(readings: Trace['readings']): Played[] {
  let state = initialFillState();
  let ep = initialEpisodes();
  return readings.map((r) => {
    const fill = stepFill(state, r, CFG, PICKUP);
    const e = stepEpisodes(ep, fill, r.at, INTERVAL);
    state = fill.state;
    ep = e.ep;
    return { fill, raise: e.raise, resolve: e.resolve, ep };
  });
}

// Shrinking a 400-reading trace can take minutes: stop it after a while and report what it has.
const RUNS = { numRuns: 300, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: true };

describe('noisy traces (properties)', () => {
  it('between two pickups each alert kind is raised at most once', () => {
    fc.assert(
      fc.property(traceArb, (trace) => {
        let raised = new Set<FillAlertKind>();
        for (const p of playTrace(trace.readings)) {
          if (p.fill.pickup) raised = new Set();
          for (const k of p.raise) {
            expect(raised.has(k), `${k} raised twice`).toBe(false);
            raised.add(k);
          }
        }
      }),
      RUNS,
    );
  });

  it('a single spike on a flat trace never raises an alert nor changes the level', () => {
    const flatArb = fc.record({
      level: pct(0, 120),
      gaps: fc.array(fc.integer({ min: 30, max: 120 }), { minLength: 1, maxLength: 40 }),
      spikeAt: fc.nat(),
      spike: pct(0, 120),
    });
    fc.assert(
      fc.property(flatArb, ({ level, gaps, spikeAt, spike }) => {
        let at = T0;
        const flat = gaps.map((g) => ({ value: level, at: (at += g * 1000) }));
        const i = spikeAt % flat.length;
        const spiked = flat.map((r, j) => (j === i ? { ...r, value: spike } : r));
        // Whatever the flat level does by itself (a 95 % bin does become full), the spike adds nothing.
        const essence = (p: Played) => [p.fill.state.filtered, p.fill.state.level, p.fill.levelChanged, p.fill.pickup, p.raise, p.resolve];
        expect(playTrace(spiked).map(essence)).toEqual(playTrace(flat).map(essence));
      }),
      { numRuns: 500 },
    );
  });

  it('every detected pickup is a real one, and every real pickup from above 60 % is detected within medianOf readings', () => {
    fc.assert(
      fc.property(traceArb, (trace) => {
        const detected = playTrace(trace.readings).flatMap((p, i) => (p.fill.pickup ? [i] : []));
        let previous = -1;
        for (const i of detected) {
          expect(trace.pickups.some((p) => p.index > previous && p.index <= i), `pickup detected at ${i} with no real one since ${previous}`).toBe(true);
          // …and not a low spike coinciding with it: the bin itself was nearly empty in the window.
          expect(Math.min(...trace.base.slice(Math.max(0, i - CFG.medianOf + 1), i + 1))).toBeLessThan(PICKUP.emptyBelowPercent + 3);
          previous = i;
        }
        // (A pickup in the trace's last readings has no time to show.)
        for (const p of trace.pickups.filter((p) => p.from > 60 && p.index + CFG.medianOf <= trace.readings.length)) {
          expect(detected.some((i) => i >= p.index && i < p.index + CFG.medianOf), `pickup at ${p.index} from ${p.from} % missed`).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('after a detected pickup no fill alert remains open', () => {
    fc.assert(
      fc.property(traceArb, (trace) => {
        for (const p of playTrace(trace.readings)) if (p.fill.pickup) expect(p.ep.open).toEqual({});
      }),
      RUNS,
    );
  });

  it('the generated traces do reach every level and pickup (the properties are not vacuous)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(traceArb, (trace) => {
        for (const p of playTrace(trace.readings)) {
          p.raise.forEach((k) => seen.add(k));
          if (p.fill.pickup) seen.add(p.fill.levelChanged ? 'pickup-of-alerted-bin' : 'pickup');
          if (p.resolve.length > 0 && !p.fill.pickup) seen.add('quiet-close');
        }
      }),
      { numRuns: 100, seed: 42 },
    );
    expect([...seen].sort()).toEqual(expect.arrayContaining(['bin-full', 'bin-overflow', 'bin-warn', 'pickup-of-alerted-bin']));
  });
});
