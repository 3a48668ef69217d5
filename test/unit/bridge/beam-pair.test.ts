import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BEAM_PAIR_IDLE, stepBeamPair, type Beam, type BeamInput, type Direction } from '../../../firmware-bridge/src/firmata/beam-pair.js';

/**
 * The door's direction rules (the same as the Arduino sketch): outer then inner then both clear =
 * in; inner first = out; one beam and back = nothing; a stuck beam voids the passage.
 */
const STUCK = 10_000;

/** Feeds events spaced `gap` ms apart (or at explicit times) and collects the passages. */
function run(events: (BeamInput | [Beam, boolean])[], gap = 100): Direction[] {
  let state = BEAM_PAIR_IDLE;
  const out: Direction[] = [];
  events.forEach((e, i) => {
    const input = Array.isArray(e) ? { beam: e[0], broken: e[1], at: i * gap } : e;
    const next = stepBeamPair(state, input, STUCK);
    state = next.state;
    if (next.passage) out.push(next.passage);
  });
  return out;
}

const B = (beam: Beam): [Beam, boolean] => [beam, true];
const C = (beam: Beam): [Beam, boolean] => [beam, false];
const other = (b: Beam): Beam => (b === 'outer' ? 'inner' : 'outer');
/** A clean walk through the door: the first beam breaks, then the second, then both clear. */
const passage = (dir: Direction, clearFirstBeamFirst = true): [Beam, boolean][] => {
  const first: Beam = dir === 'in' ? 'outer' : 'inner';
  const second = other(first);
  return [B(first), B(second), ...(clearFirstBeamFirst ? [C(first), C(second)] : [C(second), C(first)])];
};
const stepBack = (beam: Beam): [Beam, boolean][] => [B(beam), C(beam)];

describe('beam pair: table', () => {
  it.each<[string, (BeamInput | [Beam, boolean])[], Direction[]]>([
    ['outer, inner, outer clear, inner clear = in', [B('outer'), B('inner'), C('outer'), C('inner')], ['in']],
    ['inner, outer, inner clear, outer clear = out', [B('inner'), B('outer'), C('inner'), C('outer')], ['out']],
    ['outer, inner, both clear in either order = in', [B('outer'), B('inner'), C('inner'), C('outer')], ['in']],
    ['outer broken and back = nothing', [B('outer'), C('outer')], []],
    ['inner broken and back = nothing', [B('inner'), C('inner')], []],
    ['outer flickers before the walk-through = one in', [B('outer'), C('outer'), B('outer'), B('inner'), C('outer'), C('inner')], ['in']],
    ['repeated reports of the same state change nothing', [B('outer'), B('outer'), B('inner'), B('inner'), C('outer'), C('outer'), C('inner'), C('inner')], ['in']],
    ['clears with no break at all = nothing', [C('outer'), C('inner')], []],
    ['two people in a row = in, in', [...passage('in'), ...passage('in')], ['in', 'in']],
    ['in then out = in, out', [...passage('in'), ...passage('out')], ['in', 'out']],
    [
      'outer stuck for longer than the timeout voids the passage',
      [
        { beam: 'outer', broken: true, at: 0 },
        { beam: 'inner', broken: true, at: STUCK + 1 },
        { beam: 'outer', broken: false, at: STUCK + 2 },
        { beam: 'inner', broken: false, at: STUCK + 3 },
      ],
      [],
    ],
    [
      'a slow walker just inside the timeout still counts',
      [
        { beam: 'outer', broken: true, at: 0 },
        { beam: 'inner', broken: true, at: STUCK - 10 },
        { beam: 'outer', broken: false, at: STUCK },
        { beam: 'inner', broken: false, at: STUCK + 5 },
      ],
      ['in'],
    ],
    [
      'after a stuck beam clears, the next passage counts',
      [
        { beam: 'inner', broken: true, at: 0 },
        { beam: 'inner', broken: false, at: 3 * STUCK },
        { beam: 'outer', broken: true, at: 3 * STUCK + 100 },
        { beam: 'inner', broken: true, at: 3 * STUCK + 200 },
        { beam: 'outer', broken: false, at: 3 * STUCK + 300 },
        { beam: 'inner', broken: false, at: 3 * STUCK + 400 },
      ],
      ['in'],
    ],
    [
      'a person walking in while the outer beam is stuck counts nothing',
      [
        { beam: 'outer', broken: true, at: 0 },
        { beam: 'inner', broken: true, at: STUCK + 500 },
        { beam: 'inner', broken: false, at: STUCK + 700 },
      ],
      [],
    ],
  ])('%s', (_name, events, expected) => {
    expect(run(events)).toEqual(expected);
  });

  it('keeps its state immutable: a step never changes the state it was given', () => {
    const s0 = BEAM_PAIR_IDLE;
    const s1 = stepBeamPair(s0, { beam: 'outer', broken: true, at: 1 }).state;
    stepBeamPair(s1, { beam: 'inner', broken: true, at: 2 });
    expect(s0.since.outer).toBeNull();
    expect(s1.first).toBe('outer');
    expect(s1.crossed).toBe(false);
  });
});

describe('beam pair: properties', () => {
  const dir = fc.constantFrom<Direction>('in', 'out');
  const beam = fc.constantFrom<Beam>('outer', 'inner');
  /** A walk: a clean passage (either clearing order), or a step-back on one beam. */
  const walk = fc.oneof(
    fc.record({ kind: fc.constant('pass' as const), dir, clearFirstBeamFirst: fc.boolean() }),
    fc.record({ kind: fc.constant('back' as const), beam }),
  );

  it('counts every clean passage in its direction, and no step-back', () => {
    fc.assert(
      fc.property(fc.array(walk, { maxLength: 40 }), (walks) => {
        const events = walks.flatMap((w) => (w.kind === 'pass' ? passage(w.dir, w.clearFirstBeamFirst) : stepBack(w.beam)));
        const expected = walks.flatMap((w) => (w.kind === 'pass' ? [w.dir] : []));
        expect(run(events)).toEqual(expected);
      }),
    );
  });

  it('never counts more passages than there are breaks of each beam, whatever the events', () => {
    const event = fc.tuple(beam, fc.boolean(), fc.integer({ min: 0, max: 3 * STUCK }));
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (raw) => {
        let at = 0;
        const events = raw.map(([b, broken, dt]) => ({ beam: b, broken, at: (at += dt) }));
        const passages = run(events).length;
        // Count real breaks only (clear → broken), as the machine sees repeated reports as noise.
        const breaks = { outer: 0, inner: 0 };
        const brokenNow = { outer: false, inner: false };
        for (const e of events) {
          if (e.broken && !brokenNow[e.beam]) breaks[e.beam]++;
          brokenNow[e.beam] = e.broken;
        }
        expect(passages).toBeLessThanOrEqual(Math.min(breaks.outer, breaks.inner));
      }),
    );
  });

  it('never counts a sequence that only ever breaks one beam', () => {
    fc.assert(
      fc.property(beam, fc.array(fc.boolean(), { maxLength: 40 }), (b, states) => {
        expect(run(states.map((broken) => [b, broken]))).toEqual([]);
      }),
    );
  });

  it('never counts a passage during which a beam stayed broken past the timeout', () => {
    fc.assert(
      fc.property(dir, fc.integer({ min: STUCK + 1, max: 5 * STUCK }), (d, hold) => {
        const [first, second] = d === 'in' ? (['outer', 'inner'] as const) : (['inner', 'outer'] as const);
        const events: BeamInput[] = [
          { beam: first, broken: true, at: 0 },
          { beam: second, broken: true, at: hold },
          { beam: first, broken: false, at: hold + 1 },
          { beam: second, broken: false, at: hold + 2 },
        ];
        expect(run(events)).toEqual([]);
      }),
    );
  });
});
