/**
 * Which way a person went through a door watched by two IR break-beams, as a pure state machine:
 * the same rules as our Arduino sketch, so that a door counts alike whichever firmware drives it.
 *
 * - A passage begins when a beam breaks while both were clear; that beam is the "first".
 * - If the other beam breaks before both are clear again, the passage is complete once both clear:
 *   outer first = `in`, inner first = `out`.
 * - A person who breaks one beam only and steps back (both clear without the other ever breaking)
 *   counts nothing.
 * - A beam broken for longer than `stuckMs` (a bag left in the door, a misaligned beam) voids the
 *   passage in progress; nothing counts until both beams are clear again.
 *
 * Repeated reports of a beam's current state (a bouncing receiver) change nothing.
 */
export type Beam = 'outer' | 'inner';
export type Direction = 'in' | 'out';

export interface BeamInput {
  beam: Beam;
  broken: boolean;
  /** Monotonic milliseconds. */
  at: number;
}

export interface BeamPairState {
  /** Since when each beam has been broken, or null while it is clear. */
  readonly since: Readonly<Record<Beam, number | null>>;
  /** The beam that began the passage in progress, if any. */
  readonly first: Beam | null;
  /** The other beam has broken too during this passage. */
  readonly crossed: boolean;
  /** A stuck beam voided this passage: wait for both clear. */
  readonly voided: boolean;
}

export const BEAM_PAIR_IDLE: BeamPairState = Object.freeze({ since: Object.freeze({ outer: null, inner: null }), first: null, crossed: false, voided: false });

export const DEFAULT_STUCK_MS = 10_000;

export function stepBeamPair(state: BeamPairState, input: BeamInput, stuckMs = DEFAULT_STUCK_MS): { state: BeamPairState; passage?: Direction } {
  const stuck = (['outer', 'inner'] as const).some((b) => {
    const since = state.since[b];
    return since !== null && input.at - since > stuckMs;
  });
  let { first, crossed, voided } = state;
  if (stuck) [first, crossed, voided] = [null, false, true];

  const wasBroken = state.since[input.beam] !== null;
  if (input.broken === wasBroken) return { state: { ...state, first, crossed, voided } };

  const since = { ...state.since, [input.beam]: input.broken ? input.at : null };
  if (input.broken) {
    if (!voided) {
      if (first === null) first = input.beam;
      else if (input.beam !== first) crossed = true;
    }
    return { state: { since, first, crossed, voided } };
  }
  if (since.outer !== null || since.inner !== null) return { state: { since, first, crossed, voided } };
  // Both beams are clear: the passage (if any) is over.
  const passage: Direction | undefined = !voided && crossed && first !== null ? (first === 'outer' ? 'in' : 'out') : undefined;
  return passage ? { state: BEAM_PAIR_IDLE, passage } : { state: BEAM_PAIR_IDLE };
}

/** The state machine with its state kept inside, for a link that feeds it beam events as they come. */
export function createBeamPair(stuckMs = DEFAULT_STUCK_MS) {
  let state = BEAM_PAIR_IDLE;
  return {
    input(beam: Beam, broken: boolean, at: number): Direction | undefined {
      const next = stepBeamPair(state, { beam, broken, at }, stuckMs);
      state = next.state;
      return next.passage;
    },
    get state(): BeamPairState {
      return state;
    },
  };
}
