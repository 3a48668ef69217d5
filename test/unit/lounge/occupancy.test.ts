import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextCloseAfter, type LoungeHours } from '../../../src/lounge/hours.js';
import { advance, applyCount, initialOccupancy, restoreOccupancy, serialiseOccupancy, type DoorCount, type OccupancyState, type Step } from '../../../src/lounge/occupancy.js';
import { addDays, localParts, localToEpoch } from '../../../src/waste/local-time.js';

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
// Zones without daylight saving time in these years, with whole-, half- and quarter-hour offsets,
// from UTC−11 to UTC+14 (Kiritimati's local midnight is UTC 10:00 of the day before).
const ZONES = ['Asia/Shanghai', 'UTC', 'Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Bogota'];
const SH: LoungeHours = { tz: 'Asia/Shanghai', open: 8 * 60 + 30, close: 20 * 60 + 30 };

const zone = fc.constantFrom(...ZONES);
const hoursArb = fc.record({ tz: zone, open: fc.integer({ min: 0, max: 1439 }), close: fc.integer({ min: 0, max: 1440 }) });
const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2029, 11, 31) });
const count = fc.record({ direction: fc.constantFrom<'in' | 'out'>('in', 'out'), count: fc.integer({ min: 1, max: 6 }) });

/** Counts at times that mostly move forward, sometimes backwards (late batches), over a few days. */
const countsArb = fc.array(fc.record({ c: count, dt: fc.integer({ min: -3 * H, max: 5 * H }), tickAfter: fc.boolean() }), { maxLength: 60 });

function run(s0: OccupancyState, t0: number, ops: { c: { direction: 'in' | 'out'; count: number }; dt: number; tickAfter: boolean }[], h: LoungeHours, onStep?: (s: Step, i: number) => void) {
  let s = s0;
  let t = t0;
  ops.forEach((op, i) => {
    t += op.dt;
    const step = applyCount(s, { ...op.c, at: t }, h);
    s = step.state;
    onStep?.(step, i);
    if (op.tickAfter) {
      const adv = advance(s, Math.max(t, s.asOf) + 1, h);
      s = adv.state;
      onStep?.(adv, i);
    }
  });
  return s;
}

describe('occupancy properties', () => {
  it('is never negative, whatever the counts and their order', () => {
    fc.assert(
      fc.property(hoursArb, instant, countsArb, (h, t0, ops) => {
        run(initialOccupancy(t0, h), t0, ops, h, (step) => {
          const s = step.state;
          expect(s.inside).toBeGreaterThanOrEqual(0);
          expect(s.visitsToday).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(s.inside)).toBe(true);
          for (const r of [...step.resets, ...(s.lastReset ? [s.lastReset] : [])]) {
            expect(r.insideAtClose).toBeGreaterThanOrEqual(0);
            expect(r.missedEntries).toBeGreaterThanOrEqual(0);
            expect(r.leftAfterClose).toBeGreaterThanOrEqual(0);
          }
          // Whatever happened, the state is still one that a restart can read back.
          expect(restoreOccupancy(serialiseOccupancy(s))).toEqual(s);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('equals ins − outs while that is non-negative, and ins − outs + missed always, within a session', () => {
    fc.assert(
      fc.property(hoursArb, instant, fc.array(count, { maxLength: 80 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 80, maxLength: 80 }), (h, t0, counts, fractions) => {
        // Counts in time order, all inside the session that t0 belongs to (before its closing).
        const close = nextCloseAfter(t0, h).closesAt;
        const times = fractions.slice(0, counts.length).map((f) => t0 + Math.floor(f * (close - t0))).sort((a, b) => a - b);
        let s = initialOccupancy(t0, h);
        let net = 0;
        let missed = 0;
        let everNegative = false;
        counts.forEach((c, i) => {
          const step = applyCount(s, { ...c, at: times[i]! }, h);
          s = step.state;
          net += c.direction === 'in' ? c.count : -c.count;
          missed += step.missed;
          if (net < 0) everNegative = true;
          if (!everNegative) expect(s.inside).toBe(net);
          expect(s.inside).toBe(net + missed);
          expect(step.resets).toEqual([]);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('resets to 0 at closing time, at the closing wall time, for any hours, time of day and zone', () => {
    fc.assert(
      fc.property(hoursArb, instant, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 4 }), (h, t0, k, days) => {
        const s0 = applyCount(initialOccupancy(t0, h), { direction: 'in', count: Math.max(k, 1), at: t0 }, h).state;
        const inside = Math.max(k, 1);
        const c = nextCloseAfter(t0, h);
        // The closing is the next one at the configured wall time: within a day, none before it.
        expect(localParts(c.closesAt, h.tz).minutes).toBe(h.close % 1440);
        expect(c.closesAt).toBeGreaterThan(t0);
        expect(c.closesAt - DAY).toBeLessThanOrEqual(t0);
        // The reset is labelled with the day its session opened; a session lasts at most a day, so one
        // that closes at or before its opening time (past midnight) closes on the next date.
        expect(localParts(c.opensAt, h.tz)).toMatchObject({ date: c.day, minutes: h.open });
        expect(c.closesAt).toBeGreaterThan(c.opensAt);
        expect(c.closesAt - c.opensAt).toBeLessThanOrEqual(DAY);

        expect(advance(s0, c.closesAt - 1, h).state.inside).toBe(inside);
        const at = advance(s0, c.closesAt, h);
        expect(at.state.inside).toBe(0);
        expect(at.resets).toEqual([{ day: c.day, at: c.closesAt, insideAtClose: inside, missedEntries: 0, leftAfterClose: 0 }]);
        // Days later: one reset per closing passed, the people counted only in the first.
        const later = advance(s0, c.closesAt + (days - 1) * DAY + 1, h);
        expect(later.resets.map((r) => r.insideAtClose)).toEqual([inside, ...Array(days - 1).fill(0)]);
        expect(later.state.lastReset?.at).toBe(c.closesAt + (days - 1) * DAY);
      }),
      { numRuns: 400 },
    );
  });

  it('restarts visitsToday at local midnight, not at UTC midnight', () => {
    fc.assert(
      fc.property(hoursArb, instant, fc.integer({ min: 1, max: 30 }), (h, t0, k) => {
        const s0 = applyCount(initialOccupancy(t0, h), { direction: 'in', count: k, at: t0 }, h).state;
        expect(s0.visitsToday).toBe(k);
        const midnight = localToEpoch(addDays(localParts(t0, h.tz).date, 1), 0, h.tz);
        expect(localParts(midnight, h.tz).minutes).toBe(0);
        expect(midnight - t0).toBeLessThanOrEqual(DAY);
        expect(advance(s0, midnight - 1, h).state.visitsToday).toBe(k);
        expect(advance(s0, midnight, h).state.visitsToday).toBe(0);
        // A late entry from yesterday, arriving after midnight, does not count today.
        const after = advance(s0, midnight + MIN, h).state;
        expect(applyCount(after, { direction: 'in', count: 2, at: midnight - MIN }, h).state.visitsToday).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('changes nothing across a restart (serialise, restore) at any point', () => {
    fc.assert(
      fc.property(hoursArb, instant, countsArb, fc.nat(), (h, t0, ops, cut) => {
        const i = ops.length === 0 ? 0 : cut % (ops.length + 1);
        const straightSteps: Step[] = [];
        const straight = run(initialOccupancy(t0, h), t0, ops, h, (s) => straightSteps.push(s));
        const restartedSteps: Step[] = [];
        const before = run(initialOccupancy(t0, h), t0, ops.slice(0, i), h, (s) => restartedSteps.push(s));
        const restored = restoreOccupancy(serialiseOccupancy(before));
        expect(restored).toEqual(before);
        const tAtCut = t0 + ops.slice(0, i).reduce((sum, op) => sum + op.dt, 0);
        const after = run(restored!, tAtCut, ops.slice(i), h, (s) => restartedSteps.push(s));
        expect(after).toEqual(straight);
        expect(restartedSteps.map(({ resets, missed, stale }) => ({ resets, missed, stale }))).toEqual(straightSteps.map(({ resets, missed, stale }) => ({ resets, missed, stale })));
      }),
      { numRuns: 200 },
    );
  });
});

describe('occupancy rules', () => {
  // Monday 30 November 2026 in Shanghai; the lounge is open 08:30–20:30.
  const at = (hhmm: string, day = '2026-11-30') => localToEpoch(day, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), SH.tz);
  const steps = (s0: OccupancyState, counts: DoorCount[]) => counts.reduce((acc, c) => applyCount(acc.state, c, SH), { state: s0, resets: [], missed: 0, stale: 0 } as Step);
  const morning = (inside: number) => steps(initialOccupancy(at('08:00'), SH), [{ direction: 'in', count: inside, at: at('09:00') }]).state;

  it('clamps an exit that finds nobody inside at 0 and counts it as a missed entry', () => {
    const s = steps(morning(2), [{ direction: 'out', count: 5, at: at('10:00') }]);
    expect(s.state).toMatchObject({ inside: 0, missedSinceReset: 3 });
    expect(s.missed).toBe(3);
    const reset = advance(s.state, at('20:30'), SH);
    expect(reset.resets).toEqual([{ day: '2026-11-30', at: at('20:30'), insideAtClose: 0, missedEntries: 3, leftAfterClose: 0 }]);
    expect(reset.state.missedSinceReset).toBe(0);
  });

  it('counts late leavers after closing against the day they stayed, not as missed entries', () => {
    const closed = advance(morning(4), at('20:30'), SH).state;
    const s = steps(closed, [{ direction: 'out', count: 3, at: at('20:40') }]);
    expect(s.missed).toBe(0);
    expect(s.state.inside).toBe(0);
    expect(s.resets).toEqual([{ day: '2026-11-30', at: at('20:30'), insideAtClose: 4, missedEntries: 0, leftAfterClose: 3 }]);
  });

  it('lets a count measured before closing but arriving after it correct that day’s reset', () => {
    const closed = advance(morning(4), at('21:00'), SH).state;
    const late = steps(closed, [{ direction: 'out', count: 3, at: at('20:10') }]);
    expect(late.state.inside).toBe(0);
    expect(late.resets).toEqual([{ day: '2026-11-30', at: at('20:30'), insideAtClose: 1, missedEntries: 0, leftAfterClose: 0 }]);
    // One from the day before that is stale: kept in the visits, but no session to correct.
    const stale = applyCount(late.state, { direction: 'in', count: 2, at: at('15:00', '2026-11-29') }, SH);
    expect(stale.stale).toBe(2);
    expect(stale.resets).toEqual([]);
    expect(stale.state).toEqual(late.state);
  });

  it('counts entries before opening (staff setting up) and keeps them until closing', () => {
    const s = steps(initialOccupancy(at('07:00'), SH), [{ direction: 'in', count: 2, at: at('07:45') }]);
    expect(s.state).toMatchObject({ inside: 2, visitsToday: 2 });
  });
});
