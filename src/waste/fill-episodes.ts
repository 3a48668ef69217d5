import { levelRank, type FillLevel, type stepFill } from './fill-state.js';

/**
 * Which fill alerts to raise or resolve for one bin, from the steps of its fill state. Crews get one
 * alert per problem: an episode opens when the level rises to its kind, and stays open (no repeats)
 * until the bin is emptied or falls back below that level. Pure: `now` is passed in.
 */
export type FillAlertKind = 'bin-warn' | 'bin-full' | 'bin-overflow';
export const FILL_ALERT_KINDS: readonly FillAlertKind[] = ['bin-warn', 'bin-full', 'bin-overflow'];
const LEVEL_OF: Record<FillAlertKind, FillLevel> = { 'bin-warn': 'warn', 'bin-full': 'full', 'bin-overflow': 'overflow' };
export const kindFor = (level: FillLevel): FillAlertKind | null => FILL_ALERT_KINDS.find((k) => LEVEL_OF[k] === level) ?? null;

export interface EpisodeState {
  open: Partial<Record<FillAlertKind, { raisedAt: number }>>;
  lastRaised: Partial<Record<FillAlertKind, number>>;
}

export const initialEpisodes = (): EpisodeState => ({ open: {}, lastRaised: {} });

export interface EpisodeStep {
  ep: EpisodeState;
  raise: FillAlertKind[];
  resolve: FillAlertKind[];
}

export function stepEpisodes(ep: EpisodeState, step: ReturnType<typeof stepFill>, now: number, minIntervalMs: number): EpisodeStep {
  const openKinds = FILL_ALERT_KINDS.filter((k) => ep.open[k] !== undefined);
  if (step.pickup) {
    // Emptied: every episode is over, and the next fill is a new problem, so the rate limit
    // (which is there against flapping) starts afresh too; spikes cannot fake a pickup.
    if (openKinds.length === 0 && Object.keys(ep.lastRaised).length === 0) return { ep, raise: [], resolve: [] };
    return { ep: initialEpisodes(), raise: [], resolve: openKinds };
  }
  if (!step.levelChanged) return { ep, raise: [], resolve: [] };

  const { from, to } = step.levelChanged;
  // Fell below a kind's level without a pickup (compacted, a bag taken out): close it quietly.
  const resolve = openKinds.filter((k) => levelRank(LEVEL_OF[k]) > levelRank(to));
  const open = { ...ep.open };
  for (const k of resolve) delete open[k];
  const lastRaised = { ...ep.lastRaised };
  const raise: FillAlertKind[] = [];
  const kind = kindFor(to);
  if (kind && levelRank(to) > levelRank(from)) {
    const last = lastRaised[kind];
    // Only the level reached (ok → full raises bin-full alone); the interval still applies after a quiet close.
    if (open[kind] === undefined && (last === undefined || now - last >= minIntervalMs)) {
      open[kind] = { raisedAt: now };
      lastRaised[kind] = now;
      raise.push(kind);
    }
  }
  if (raise.length === 0 && resolve.length === 0) return { ep, raise, resolve };
  return { ep: { open, lastRaised }, raise, resolve };
}
