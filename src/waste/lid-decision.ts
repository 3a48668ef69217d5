import type { ActuatorReportedState } from '../contract/parse.js';

/**
 * Lids follow the drop-off windows (DESIGN.md §Waste). While the clock is not trusted the lid takes
 * the site's configured safe state: a Pi that booted in 1970 must not lock residents out, or open
 * hazardous bins at night, on the strength of a wrong time.
 */
export type LidState = 'open' | 'closed';
export type LidReason = 'window-open' | 'window-closed' | 'late-drop-point' | 'clock-untrusted';

export function desiredLid(o: { categoryOpen: boolean; lateDrop: boolean; clockTrusted: boolean; safeState: LidState }): { state: LidState; reason: LidReason } {
  if (!o.clockTrusted) return { state: o.safeState, reason: 'clock-untrusted' };
  if (o.lateDrop) return { state: 'open', reason: 'late-drop-point' };
  return o.categoryOpen ? { state: 'open', reason: 'window-open' } : { state: 'closed', reason: 'window-closed' };
}

/**
 * Send a command when the wanted state changed, or again when the lid still reports otherwise after
 * `resendMs` (a lost command, a jammed lid); never more often, so a broken lid is not hammered.
 */
export function lidNeedsCommand(o: {
  desired: LidState;
  lastCommanded: LidState | undefined;
  lastSentAt: number | undefined;
  reported: ActuatorReportedState | undefined;
  now: number;
  resendMs: number;
}): boolean {
  if (o.lastCommanded !== o.desired || o.lastSentAt === undefined) return true;
  if (o.reported === o.desired) return false;
  return o.now - o.lastSentAt >= o.resendMs;
}

/**
 * The time lids are decided at. NTP correcting a fast clock sets it back: lids already moved at a
 * window edge would move back, then again when the corrected clock reaches the same edge
 * (open/close/open). So after a small step back, lids keep the state of the latest time already
 * acted on until the clock catches up; a step back longer than `maxHoldMs` means the earlier time
 * was far off, and lids follow the corrected clock at once.
 */
export function lidDecisionTime(o: { now: number; latest: number | undefined; maxHoldMs: number }): number {
  if (o.latest === undefined || o.now >= o.latest) return o.now;
  return o.latest - o.now <= o.maxHoldMs ? o.latest : o.now;
}
