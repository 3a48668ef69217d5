import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { localParts } from '../waste/local-time.js';
import { closesBetween, isOpen, nextCloseAfter, type LoungeHours } from './hours.js';

/**
 * Occupancy as a pure state machine: door counts in, people inside out. No I/O and no clock: every
 * step is given its time. The module around it stores, publishes and counts.
 *
 * - `inside` never goes negative. An exit that finds nobody counted inside means an entry was missed
 *   at a door: it is clamped and counted (`missedSinceReset`, then `missedEntries` of the day's reset).
 * - At closing time (`lounge.hours.close`, local) `inside` is reset to 0 and the number still counted
 *   inside is kept in a reset record: over weeks that is the counters' drift.
 * - Exits in the closed hours after a reset that find nobody inside are the last visitors leaving
 *   late, not missed entries: they go to the reset's `leftAfterClose`, so drift ≈ insideAtClose − leftAfterClose.
 * - A count measured before the last reset but arriving after it (a batch from a node that was
 *   offline) corrects that reset's record instead of today's `inside`; one older still is only stale.
 * - `visitsToday` counts entries whose time is on the current local day; it restarts at local midnight.
 */
const ResetRecordSchema = Type.Object({
  /** local date the session opened on */
  day: Type.String(),
  /** the closing instant, epoch ms */
  at: Type.Number(),
  insideAtClose: Type.Integer({ minimum: 0 }),
  missedEntries: Type.Integer({ minimum: 0 }),
  leftAfterClose: Type.Integer({ minimum: 0 }),
});
export type ResetRecord = Static<typeof ResetRecordSchema>;

const OccupancyStateSchema = Type.Object({
  /** the latest instant the state has been advanced to */
  asOf: Type.Number(),
  /** local date of asOf */
  day: Type.String(),
  inside: Type.Integer({ minimum: 0 }),
  visitsToday: Type.Integer({ minimum: 0 }),
  missedSinceReset: Type.Integer({ minimum: 0 }),
  lastReset: Type.Union([ResetRecordSchema, Type.Null()]),
});
export type OccupancyState = Static<typeof OccupancyStateSchema>;

export interface DoorCount {
  direction: 'in' | 'out';
  /** people, a positive integer */
  count: number;
  at: number;
}

export interface Step {
  state: OccupancyState;
  /** reset records created or changed by this step, to be stored (by day) */
  resets: ResetRecord[];
  /** exits clamped because nobody was counted inside (missed entries) */
  missed: number;
  /** people counted too late to belong to any session still kept */
  stale: number;
}

/** Beyond this gap (a Pi switched off for months) only the latest closings are replayed. */
const MAX_REPLAY_MS = 400 * 86_400_000;

export function initialOccupancy(now: number, h: LoungeHours): OccupancyState {
  return { asOf: now, day: localParts(now, h.tz).date, inside: 0, visitsToday: 0, missedSinceReset: 0, lastReset: null };
}

/** Brings the state to `now`: every closing passed resets `inside`, a new local day restarts the visits. */
export function advance(s: OccupancyState, now: number, h: LoungeHours): Step {
  if (now <= s.asOf) return { state: s, resets: [], missed: 0, stale: 0 };
  let { inside, missedSinceReset, lastReset } = s;
  const resets: ResetRecord[] = [];
  for (const c of closesBetween(Math.max(s.asOf, now - MAX_REPLAY_MS), now, h)) {
    lastReset = { day: c.day, at: c.closesAt, insideAtClose: inside, missedEntries: missedSinceReset, leftAfterClose: 0 };
    resets.push(lastReset);
    inside = 0;
    missedSinceReset = 0;
  }
  const day = localParts(now, h.tz).date;
  const visitsToday = day === s.day ? s.visitsToday : 0;
  return { state: { asOf: now, day, inside, visitsToday, missedSinceReset, lastReset }, resets, missed: 0, stale: 0 };
}

/** Applies one door count. A count from the future relative to the state first advances it. */
export function applyCount(s0: OccupancyState, c: DoorCount, h: LoungeHours): Step {
  const first = advance(s0, c.at, h);
  const s = { ...first.state };
  const resets = [...first.resets];
  const isIn = c.direction === 'in';
  if (isIn && localParts(c.at, h.tz).date === s.day) s.visitsToday += c.count;

  const last = s.lastReset;
  if (last && c.at < last.at) {
    // Measured before the last closing: it belongs to that session only if no earlier closing came between.
    if (nextCloseAfter(c.at, h).closesAt !== last.at) return { state: s, resets, missed: 0, stale: c.count };
    const r = { ...last };
    let missed = 0;
    if (isIn) r.insideAtClose += c.count;
    else {
      const taken = Math.min(c.count, r.insideAtClose);
      r.insideAtClose -= taken;
      missed = c.count - taken;
      r.missedEntries += missed;
    }
    s.lastReset = r;
    return { state: s, resets: [...resets.filter((x) => x.day !== r.day), r], missed, stale: 0 };
  }

  if (isIn) {
    s.inside += c.count;
    return { state: s, resets, missed: 0, stale: 0 };
  }
  const taken = Math.min(c.count, s.inside);
  s.inside -= taken;
  const excess = c.count - taken;
  if (excess === 0) return { state: s, resets, missed: 0, stale: 0 };
  if (last && !isOpen(c.at, h)) {
    // The lounge is closed and `last` is the closing before c.at: late leavers, not a miss at the door.
    const r = { ...last, leftAfterClose: last.leftAfterClose + excess };
    s.lastReset = r;
    return { state: s, resets: [...resets.filter((x) => x.day !== r.day), r], missed: 0, stale: 0 };
  }
  s.missedSinceReset += excess;
  return { state: s, resets, missed: excess, stale: 0 };
}

/** The state as stored across a restart. */
export function serialiseOccupancy(s: OccupancyState): string {
  return JSON.stringify(s);
}

/** The stored state, or undefined when it is missing or not a state (then the caller starts afresh). */
export function restoreOccupancy(text: string | undefined): OccupancyState | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return Value.Check(OccupancyStateSchema, v) ? v : undefined;
  } catch {
    return undefined;
  }
}
