import type { SiteConfig } from '../config/schema.js';

/**
 * One bin's fill state from its ultrasonic sensor: a median filter (ultrasonic sensors spike on a
 * bird or a lid edge), thresholds with hysteresis, a minimum duration, and pickup detection. Pure:
 * time comes in with each reading, so traces can be replayed and property-tested.
 */
export type FillLevel = 'ok' | 'warn' | 'full' | 'overflow';
/** Emptiest to fullest; a level's index is its rank. */
export const FILL_LEVELS: readonly FillLevel[] = ['ok', 'warn', 'full', 'overflow'];
export const levelRank = (level: FillLevel): number => FILL_LEVELS.indexOf(level);

export interface FillConfig {
  warnPercent: number;
  fullPercent: number;
  overflowPercent: number;
  hysteresisPercent: number;
  minDurationMs: number;
  medianOf: number;
}

/** The two pickup fields this module needs; `config.waste.pickup` fits as it is. */
export interface PickupConfig {
  dropPercent: number;
  emptyBelowPercent: number;
}

export function fillConfigFrom(fill: SiteConfig['waste']['fill']): FillConfig {
  const { warnPercent, fullPercent, overflowPercent, hysteresisPercent, medianOf } = fill;
  return { warnPercent, fullPercent, overflowPercent, hysteresisPercent, medianOf, minDurationMs: fill.minDurationSeconds * 1000 };
}

export interface Reading {
  value: number;
  at: number;
}

export interface FillState {
  /** The last `medianOf` accepted readings, oldest first; the last one is the newest seen. */
  recent: Reading[];
  /** Median of `recent`; null until the window is full, so a spike at start-up is not trusted alone. */
  filtered: number | null;
  level: FillLevel;
  /** When `level` took effect; null before the first filtered value. */
  levelSince: number | null;
  /** A level the filtered value points to but that has not yet held for `minDurationMs`. */
  pending: { level: FillLevel; since: number } | null;
  emptiedAt: number | null;
  /** Highest filtered value since the last pickup: what a drop is measured from. */
  peak: number | null;
}

export const initialFillState = (): FillState => ({ recent: [], filtered: null, level: 'ok', levelSince: null, pending: null, emptiedAt: null, peak: null });

export interface FillStep {
  state: FillState;
  levelChanged: { from: FillLevel; to: FillLevel } | null;
  pickup: { before: number; after: number; at: number } | null;
}

function threshold(level: FillLevel, cfg: FillConfig): number {
  if (level === 'warn') return cfg.warnPercent;
  if (level === 'full') return cfg.fullPercent;
  if (level === 'overflow') return cfg.overflowPercent;
  return -Infinity;
}

/**
 * Entering a level needs the value at its threshold; leaving it needs the value below threshold −
 * hysteresis, so a value hovering at a threshold never flips back and forth.
 */
export function levelFor(filtered: number, current: FillLevel, cfg: FillConfig): FillLevel {
  let reached: FillLevel = 'ok';
  let kept: FillLevel = 'ok';
  for (const level of FILL_LEVELS) {
    if (filtered >= threshold(level, cfg)) reached = level;
    if (levelRank(level) <= levelRank(current) && filtered >= threshold(level, cfg) - cfg.hysteresisPercent) kept = level;
  }
  return levelRank(reached) > levelRank(kept) ? reached : kept;
}

/** A fall of at least `dropPercent` from the peak, ending below `emptyBelowPercent`. */
export function detectPickup(peakBefore: number | null, filteredNow: number, pickup: PickupConfig): boolean {
  return peakBefore !== null && peakBefore - filteredNow >= pickup.dropPercent && filteredNow < pickup.emptyBelowPercent;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  // An even window (medianOf 2, 4, …) averages the middle pair; from 4 up, an extreme single spike sorts to an end and is not in it.
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function stepFill(state: FillState, reading: Reading, cfg: FillConfig, pickupCfg: PickupConfig): FillStep {
  const unchanged: FillStep = { state, levelChanged: null, pickup: null };
  const newest = state.recent.at(-1);
  // A late (out-of-order) or garbled reading must not rewind the filter or the min-duration clock.
  if (!Number.isFinite(reading.value) || !Number.isFinite(reading.at) || (newest !== undefined && reading.at < newest.at)) return unchanged;

  const at = reading.at;
  const recent = [...state.recent, { value: reading.value, at }].slice(-Math.max(1, cfg.medianOf));
  if (recent.length < cfg.medianOf) return { ...unchanged, state: { ...state, recent } };
  const filtered = median(recent.map((r) => r.value));

  // `?? null`: a state stored by an older build may lack `peak`; NaN would hide every pickup after.
  const peakBefore = state.peak ?? null;
  if (peakBefore !== null && detectPickup(peakBefore, filtered, pickupCfg)) {
    // The crew just emptied it: back to ok at once, no min duration to wait out.
    const from = state.level;
    return {
      state: { recent, filtered, level: 'ok', levelSince: at, pending: null, emptiedAt: at, peak: filtered },
      levelChanged: from === 'ok' ? null : { from, to: 'ok' },
      pickup: { before: peakBefore, after: filtered, at },
    };
  }

  // Right after a pickup the window still holds readings from before it, and one of them with a
  // spike (h l S) gives a high median: that is not a fill "since the pickup" and must not become a
  // peak, or the next low median would count the same pickup twice.
  const sincePickup = state.emptiedAt === null || recent[0]!.at >= state.emptiedAt;
  const peak = peakBefore === null ? filtered : sincePickup ? Math.max(peakBefore, filtered) : peakBefore;
  const target = levelFor(filtered, state.level, cfg);
  const base = { ...state, recent, filtered, peak, levelSince: state.levelSince ?? at };
  if (target === state.level) return { ...unchanged, state: { ...base, pending: null } }; // a move that did not last is forgotten

  const rising = levelRank(target) > levelRank(state.level);
  const sameWay = state.pending !== null && levelRank(state.pending.level) > levelRank(state.level) === rising;
  // Still moving the same way: keep the clock, and keep the least extreme target seen, which is the
  // level that has really held all along (so 89/91 % readings around "full" still make it "warn").
  const pending = !sameWay
    ? { level: target, since: at }
    : { level: (levelRank(target) < levelRank(state.pending!.level)) === rising ? target : state.pending!.level, since: state.pending!.since };
  if (at - pending.since < cfg.minDurationMs) return { ...unchanged, state: { ...base, pending } };
  return {
    state: { ...base, level: pending.level, levelSince: at, pending: null },
    levelChanged: { from: state.level, to: pending.level },
    pickup: null,
  };
}
